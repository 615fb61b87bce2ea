import Testing

@testable import Store

/// The state cache's map keeps about its capacity, the most recently used first.
@Suite struct BoundedCacheTests {
    @Test func itKeepsAtMostItsCapacityAndTheRecentlyUsed() {
        var cache = BoundedCache<Int, String>(capacity: 4)
        for key in 0..<100 { cache.insert(key, "\(key)") }
        let kept = (0..<100).filter { cache[$0] != nil }
        #expect(kept.count <= 4 && kept.contains(99) && kept.contains(98), "\(kept)")
        #expect(cache[0] == nil, "the oldest went first")
    }

    @Test func aHitKeepsAnEntryThroughTheNextGeneration() {
        var cache = BoundedCache<Int, String>(capacity: 4)
        cache.insert(1, "one")
        cache.insert(2, "two")
        cache.insert(3, "three")  // the young generation (two entries) was full: 1 and 2 are now old
        #expect(cache[1] == "one")  // a hit moves 1 back to the young generation
        cache.insert(4, "four")
        cache.insert(5, "five")
        #expect(cache[2] == nil, "2, used least recently, was dropped with its generation")
        #expect(cache[1] == "one", "1, used since, was kept")
        cache.insert(5, "FIVE")
        #expect(cache[5] == "FIVE", "an insert replaces the value")
    }

    @Test func entriesThatCostMoreLeaveRoomForFewer() {
        var cache = BoundedCache<Int, [Int]>(capacity: 20, cost: \.count)
        for key in 0..<10 { cache.insert(key, Array(repeating: key, count: 5)) }
        let kept = (0..<10).filter { cache[$0] != nil }
        #expect(kept.count <= 4 && kept.contains(9), "about 20 in all at 5 each: \(kept)")
        cache.insert(9, [9])
        for key in 10..<15 { cache.insert(key, [key]) }
        #expect(cache[9] == [9], "a value replaced costs what the new one costs")
    }
}
