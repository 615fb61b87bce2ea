import Testing
import Workload

@testable import Engine

/// The in-memory state's id table answers as a `Dictionary` keyed by the same ids would, through
/// growth, repeated and missing ids, and ids that are equal only as `String`s.
@Suite struct IdTableTests {
    @Test func answersAsADictionaryThroughGrowth() {
        var random = SplitMix(seed: 21)
        var table = IdTable<Int>()
        var reference: [String: Int] = [:]
        for step in 0..<60_000 {
            // Few enough distinct ids that many come back, enough that the table grows often.
            let id = "e\(random.next(20_000))"
            switch random.next(4) {
            case 0:
                #expect(table[id] == reference[id], "step \(step): \(id)")
            case 1:
                table.set(step, for: id)
                reference[id] = step
            default:
                table.update(id, default: -1) { $0 += 1 }
                reference[id, default: -1] += 1
            }
        }
        #expect(table.count == reference.count)
        for (id, value) in reference { #expect(table[id] == value, "\(id)") }
        for missing in 20_000..<20_100 { #expect(table["e\(missing)"] == nil) }
    }

    @Test func idsCompareAsStrings() {
        var table = IdTable<String>(expectedCount: 4)
        table.set("composed", for: "caf\u{E9}")
        #expect(table["cafe\u{301}"] == "composed")
        table.set("", for: "")
        table.set("long", for: String(repeating: "x", count: 100))
        #expect(table[""] == "")
        #expect(table[String(repeating: "x", count: 100)] == "long")
        #expect(table[String(repeating: "x", count: 99)] == nil)
        #expect(table.count == 3)
    }

    @Test func reservedRoomHoldsTheExpectedIds() {
        var table = IdTable<Int>(expectedCount: 1_000)
        for index in 0..<1_000 { table.set(index, for: "p\(index)") }
        for index in 0..<1_000 { #expect(table["p\(index)"] == index) }
        #expect(table.count == 1_000)
    }

    /// Past 4 MiB of slots the table is mapped from the kernel (`ZeroedSlots`): it starts empty,
    /// and answers the same through a growth from one mapping to the next.
    @Test func mappedSlotsStartEmptyAndGrow() {
        var table = IdTable<Int>(expectedCount: 393_216)
        #expect(table["p0"] == nil)
        for index in 0..<400_000 { table.set(index, for: "p\(index)") }
        #expect(table.count == 400_000)
        var wrong = 0
        for index in 0..<400_000 where table["p\(index)"] != index { wrong += 1 }
        #expect(wrong == 0)
        #expect(table["p400000"] == nil)
    }
}
