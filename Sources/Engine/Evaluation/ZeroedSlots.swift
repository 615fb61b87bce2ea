#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixed number of `UInt64`s, all zero at first, that an `IdTable` probes at random.
///
/// Past a few megabytes they are mapped straight from the kernel, which hands out zeroed
/// pages as they are first touched (nothing is written to clear them), and on Linux asked for
/// as transparent huge pages: a table of tens of millions of slots probed at random otherwise
/// misses the TLB on nearly every probe. Smaller ones come from the allocator.
struct ZeroedSlots: ~Copyable {
    /// From this size up, the slots are mapped (and may be huge pages, 2 MiB each).
    private static let mappedFrom = 4 << 20

    private let base: UnsafeMutablePointer<UInt64>
    let count: Int
    private let mapped: Bool

    init(count: Int) {
        precondition(count > 0, "slots hold at least one value")
        self.count = count
        let bytes = count * MemoryLayout<UInt64>.stride
        if bytes >= Self.mappedFrom, let memory = Self.map(bytes) {
            base = memory.bindMemory(to: UInt64.self, capacity: count)
            mapped = true
        } else {
            base = .allocate(capacity: count)
            base.initialize(repeating: 0, count: count)
            mapped = false
        }
    }

    deinit {
        if mapped {
            munmap(base, count * MemoryLayout<UInt64>.stride)
        } else {
            base.deallocate()
        }
    }

    subscript(index: Int) -> UInt64 {
        get {
            precondition(index >= 0 && index < count, "slot out of range")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "slot out of range")
            base[index] = newValue
        }
    }

    /// Anonymous private memory, zeroed by the kernel; `nil` when it cannot be had (the
    /// allocator is tried instead).
    private static func map(_ bytes: Int) -> UnsafeMutableRawPointer? {
        guard let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            memory != MAP_FAILED
        else { return nil }
        #if os(Linux)
            _ = madvise(memory, bytes, MADV_HUGEPAGE)
        #endif
        return memory
    }
}
