/// A map of at most about `capacity` entries that forgets the least recently used first,
/// approximately: entries live in a young and an old generation; a hit in the old one moves the
/// entry to the young one, and when the young one is full, the old one is dropped and the young
/// one becomes old. Every operation is O(1) amortised.
struct BoundedCache<Key: Hashable, Value> {
    private var young: [Key: Value] = [:]
    private var old: [Key: Value] = [:]
    /// Entries per generation.
    private let generation: Int

    init(capacity: Int) { generation = max(1, capacity / 2) }

    subscript(key: Key) -> Value? {
        mutating get {
            if let value = young[key] { return value }
            guard let value = old.removeValue(forKey: key) else { return nil }
            insert(key, value)
            return value
        }
    }

    /// Sets the value of `key`, new or not.
    mutating func insert(_ key: Key, _ value: Value) {
        if young[key] == nil, young.count >= generation {
            old = young
            young = [:]
            young.reserveCapacity(generation)
        }
        young[key] = value
        old.removeValue(forKey: key)
    }

    /// Forgets everything.
    mutating func removeAll() {
        young = [:]
        old = [:]
    }
}
