#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// An event's JSON read in one pass over its bytes, without building a `JSONValue` tree, when it
/// has the usual shape: an object whose members are strings or objects of strings, every key
/// and string ASCII without escapes, no key repeated in an object.
///
/// `read` answers `nil` for anything else (a number, an escape, a repeated key, deeper nesting,
/// invalid JSON…); the event is then parsed as a tree, which reports any error. So what this
/// accepts reads exactly as the tree would: the same members, the same compact size.
struct FlatEventJSON: EventObject {
    /// One member of the top-level object or of an object inside it.
    /// Offsets are kept in 32 bits (`read` takes no line longer than that), so that the list of
    /// members is small enough to stay on the stack.
    private struct Member {
        private let keyBounds: (start: Int32, end: Int32)
        private var valueBounds: (start: Int32, end: Int32)
        let isObject: Bool
        private let parentIndex: Int8

        init(key: Range<Int>, value: Range<Int>, isObject: Bool, parent: Int) {
            keyBounds = (Int32(key.lowerBound), Int32(key.upperBound))
            valueBounds = (Int32(value.lowerBound), Int32(value.upperBound))
            self.isObject = isObject
            parentIndex = Int8(parent)
        }

        var keyStart: Int { Int(keyBounds.start) }
        var keyEnd: Int { Int(keyBounds.end) }
        var valueStart: Int { Int(valueBounds.start) }
        var valueEnd: Int {
            get { Int(valueBounds.end) }
            set { valueBounds.end = Int32(newValue) }
        }
        /// The member whose object holds this one, `-1` for the top level.
        var parent: Int { Int(parentIndex) }
    }

    /// More members than this go to the tree parser (keys are compared pairwise here).
    static let maximumMembers = 32

    /// The line's bytes; valid only while `read`'s body runs.
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The members of the whole line, shared by the top-level object and the objects inside it;
    /// valid only while `read`'s body runs.
    private let members: UnsafeBufferPointer<Member>
    /// The member whose object this is, `-1` for the top level.
    private let parent: Int

    /// Reads `bytes` as one event object and hands it to `body` with the compact JSON's size
    /// (as `EventParser` counts it); `nil` without calling `body` when the line does not have
    /// the usual shape. The object reads `bytes` and its list of members, which is on the
    /// stack: it must not outlive `body`.
    static func read<Result>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: (_ object: FlatEventJSON, _ size: Int) -> Result
    ) -> Result? {
        guard bytes.count <= Int32.max else { return nil }
        return withUnsafeTemporaryAllocation(of: Member.self, capacity: maximumMembers) { storage in
            var scanner = Scanner(bytes: bytes, storage: storage)
            scanner.skipWhitespace()
            guard scanner.position < bytes.count, bytes[scanner.position] == UInt8(ascii: "{"),
                scanner.readObject(parent: -1)
            else { return nil }
            scanner.skipWhitespace()
            guard scanner.position == bytes.count, !scanner.hasRepeatedKey() else { return nil }
            let members = UnsafeBufferPointer(rebasing: storage[..<scanner.count])
            let size = scanner.size(of: -1)
            return body(FlatEventJSON(bytes: bytes, members: members, parent: -1), size)
        }
    }

    func member(_ key: String) -> EventMember<FlatEventJSON>? {
        var key = key
        return key.withUTF8 { key in
            for (index, member) in members.enumerated() where member.parent == parent {
                guard member.keyEnd - member.keyStart == key.count,
                    memcmp(bytes.baseAddress! + member.keyStart, key.baseAddress!, key.count) == 0
                else { continue }
                if member.isObject { return .object(FlatEventJSON(bytes: bytes, members: members, parent: index)) }
                return .string(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[member.valueStart..<member.valueEnd]), as: UTF8.self))
            }
            return nil
        }
    }

    // MARK: reading

    /// One pass over a line's bytes.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        /// Room for `maximumMembers` members (`Member` is a trivial type: nothing to deinitialize).
        let storage: UnsafeMutableBufferPointer<Member>
        /// How many members were read into `storage`.
        var count = 0
        var position = 0

        var members: UnsafeMutableBufferPointer<Member>.SubSequence { storage[..<count] }

        /// Adds a member; `false` when there is no room left.
        mutating func add(_ member: Member) -> Bool {
            guard count < storage.count else { return false }
            storage.initializeElement(at: count, to: member)
            count += 1
            return true
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        /// Reads a string at the position (its opening quote) when it is plain ASCII with no
        /// escape and no control character; returns the range of its content.
        mutating func readString() -> Range<Int>? {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let start = position + 1
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") {
                    position = end + 1
                    return start..<end
                }
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            return nil
        }

        /// Reads an object at the position (its `{`) whose members are strings, or (at the top
        /// level only) objects of strings.
        mutating func readObject(parent: Int) -> Bool {
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return true
            }
            while true {
                skipWhitespace()
                guard let key = readString() else { return false }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
                position += 1
                skipWhitespace()
                guard position < bytes.count else { return false }
                if bytes[position] == UInt8(ascii: "{") {
                    guard parent == -1 else { return false }
                    let index = count
                    guard add(Member(key: key, value: position..<position, isObject: true, parent: parent)),
                        readObject(parent: index)
                    else { return false }
                    storage[index].valueEnd = position
                } else {
                    guard let value = readString(), add(Member(key: key, value: value, isObject: false, parent: parent))
                    else { return false }
                }
                skipWhitespace()
                guard position < bytes.count else { return false }
                switch bytes[position] {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return true
                default: return false
                }
            }
        }

        /// Whether a key appears twice in one object (the tree parser reports which).
        func hasRepeatedKey() -> Bool {
            for (index, member) in members.enumerated() {
                let length = member.keyEnd - member.keyStart
                for earlier in members[..<index]
                where earlier.parent == member.parent && earlier.keyEnd - earlier.keyStart == length {
                    if memcmp(bytes.baseAddress! + earlier.keyStart, bytes.baseAddress! + member.keyStart, length) == 0 {
                        return true
                    }
                }
            }
            return false
        }

        /// The compact size of the object of `parent`: braces, commas, each key quoted with
        /// its colon, each value (a string with its quotes).
        func size(of parent: Int) -> Int {
            var count = 0
            var size = 2
            for (index, member) in members.enumerated() where member.parent == parent {
                count += 1
                size += member.keyEnd - member.keyStart + 3
                size += member.isObject ? self.size(of: index) : member.valueEnd - member.valueStart + 2
            }
            return size + max(0, count - 1)
        }
    }
}
