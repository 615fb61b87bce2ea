/// Values by id, for the in-memory state's table of every id seen: tens of millions of ids in a
/// year-sized `diff`, added and never removed.
///
/// A `Dictionary<String, Value>` keeps a slot of key and value for every bucket, hashes an id
/// once for the lookup that finds it new and again for the insert that follows, and rehashes
/// every key when it grows. Here the ids and values are appended to one dense array, and the
/// open-addressed index over it holds 8 bytes a slot: the top half of the id's hash (where the
/// slot is, and a tag that settles most probes without reading an id) and the element's
/// position. Growing moves the slots, not the ids, and hashes nothing. The last id looked up
/// keeps its hash, so the insert that follows a lookup does not hash it again.
///
/// Ids compare as `String`s do (canonical equivalence), with `String`'s seeded hash. A table
/// is not copied: its slots (`ZeroedSlots`) are memory of its own.
struct IdTable<Value>: ~Copyable {
    private struct Element {
        let id: String
        var value: Value
    }

    /// Open addressing with linear probing: 0 is an empty slot, otherwise the hash's top 32
    /// bits above the element's position plus one.
    private var slots: ZeroedSlots
    private var elements: [Element] = []
    /// The hash of the id last looked up.
    private var recent: (id: String, hash: UInt64)?

    /// Room for about `expectedCount` ids before the table grows.
    init(expectedCount: Int = 0) {
        var slotCount = 16
        while slotCount * 3 / 4 < expectedCount { slotCount *= 2 }
        slots = ZeroedSlots(count: slotCount)
        elements.reserveCapacity(expectedCount)
    }

    var count: Int { elements.count }

    /// The value of `id`, if it was added.
    subscript(id: String) -> Value? {
        mutating get {
            guard let position = position(of: id) else { return nil }
            return elements[position].value
        }
    }

    /// Sets the value of `id`, adding it if it is new.
    mutating func set(_ value: Value, for id: String) {
        if let position = position(of: id) {
            elements[position].value = value
        } else {
            add(id, value)
        }
    }

    /// Changes the value of `id`, starting from `defaultValue` if it is new.
    mutating func update(_ id: String, default defaultValue: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        if let position = position(of: id) {
            change(&elements[position].value)
        } else {
            var value = defaultValue()
            change(&value)
            add(id, value)
        }
    }

    /// Where `id` is in `elements`; remembers its hash for the `add` that may follow.
    private mutating func position(of id: String) -> Int? {
        let hash = hash(of: id)
        let tag = hash >> 32
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: tag) & mask
        while true {
            let content = slots[slot]
            if content == 0 { return nil }
            if content >> 32 == tag {
                let position = Int(truncatingIfNeeded: content & 0xFFFF_FFFF) - 1
                if elements[position].id == id { return position }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Adds an id that `position(of:)` did not find.
    private mutating func add(_ id: String, _ value: Value) {
        precondition(elements.count < Int(UInt32.max) - 1, "an id table holds fewer than 2^32 - 1 ids")
        if (elements.count + 1) > slots.count * 3 / 4 { grow() }
        let hash = hash(of: id)
        elements.append(Element(id: id, value: value))
        Self.place(hash & 0xFFFF_FFFF_0000_0000 | UInt64(elements.count), in: &slots)
    }

    /// The seeded hash of `id`, reusing the last one computed when it is for the same id.
    private mutating func hash(of id: String) -> UInt64 {
        if let recent, recent.id == id { return recent.hash }
        let hash = UInt64(bitPattern: Int64(id.hashValue))
        recent = (id, hash)
        return hash
    }

    /// Puts a slot's content in the first empty slot from its home.
    private static func place(_ content: UInt64, in slots: inout ZeroedSlots) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: content >> 32) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = content
    }

    /// Doubles the slots and places the old ones again, by the hash bits they keep.
    private mutating func grow() {
        var larger = ZeroedSlots(count: slots.count * 2)
        for slot in 0..<slots.count where slots[slot] != 0 { Self.place(slots[slot], in: &larger) }
        slots = larger
    }
}
