/// A map of at most about `capacity` entries (or, with a `cost`, entries costing about
/// `capacity` in all) that forgets the least recently used first, approximately: entries live in
/// a young and an old generation; a hit in the old one moves the entry to the young one, and when
/// the young one is full, the old one is dropped and the young one becomes old. Every operation
/// is O(1) amortised.
struct BoundedCache<Key: Hashable, Value> {
    private var young: [Key: Value] = [:]
    private var old: [Key: Value] = [:]
    /// The cost of each generation.
    private let generation: Int
    /// What an entry costs: 1 each unless told, e.g. the rows an account's history stands for,
    /// so that values that grow do not grow the cache past its bound.
    private let cost: @Sendable (Value) -> Int
    /// What the young generation's entries cost in all.
    private var youngCost = 0

    init(capacity: Int, cost: @escaping @Sendable (Value) -> Int = { _ in 1 }) {
        generation = max(1, capacity / 2)
        self.cost = cost
    }

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
        if let replaced = young[key] {
            youngCost -= cost(replaced)
        } else if youngCost >= generation {
            old = young
            young = [:]
            youngCost = 0
        }
        young[key] = value
        youngCost += cost(value)
        old.removeValue(forKey: key)
    }

    /// Forgets everything.
    mutating func removeAll() {
        young = [:]
        old = [:]
        youngCost = 0
    }
}
