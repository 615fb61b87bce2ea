import Engine
import Testing
import Workload

@testable import Store

/// An account's history survives its packed row, and bytes that are not one are refused.
@Suite struct AccountHistoryTests {
    /// A history with a value of every kind: purchases anywhere (`nil`) and at partners, spend
    /// in several scopes on days before and after the epoch, and usages of several periods.
    static func sample(account: String, seed: UInt64) -> AccountHistory {
        var random = SplitMix(seed: seed)
        var history = AccountHistory()
        history.purchases[nil] = 1 + random.next(1_000)
        for partner in ["fnac", "café-noir", ""].prefix(1 + random.next(3)) {
            history.purchases[partner] = 1 + random.next(1_000)
        }
        for (partner, currency) in [(nil, "EUR"), ("fnac", "EUR"), ("fnac", "USD")] {
            let scope = SpendScope(account: account, partner: partner, currency: currency)
            for _ in 0..<random.next(41) {
                history.spends[scope, default: [:]][random.next(30_800) - 800] = random.next(2_000_000_000_000)
            }
        }
        for period in Period.allCases {
            let key = UsageKey(
                limit: "fnac/cap-\(period)", account: account,
                period: PeriodKey(period: period, index: random.next(700_005) - 5))
            history.usage[key] = Usage(
                amount: random.next(Int.max / 2) - 1_000, count: random.next(10_000))
        }
        return history
    }

    @Test(arguments: 0..<20 as Range<UInt64>)
    func aPackedHistoryUnpacksToTheSameValues(seed: UInt64) throws {
        let account = "a\(seed)-ü"
        let history = AccountHistoryTests.sample(account: account, seed: seed)
        let unpacked = try #require(AccountHistory(packed: history.packed(), account: account))
        #expect(unpacked.purchases == history.purchases)
        #expect(unpacked.spends == history.spends)
        #expect(unpacked.usage == history.usage)
    }

    @Test func anEmptyHistoryPacksInAFewBytes() throws {
        let packed = AccountHistory().packed()
        #expect(packed.count == 4)
        let unpacked = try #require(AccountHistory(packed: packed, account: "a"))
        #expect(unpacked.purchases.isEmpty && unpacked.spends.isEmpty && unpacked.usage.isEmpty)
    }

    @Test func bytesThatAreNotAHistoryAreRefused() {
        let packed = AccountHistoryTests.sample(account: "a", seed: 7).packed()
        #expect(AccountHistory(packed: [], account: "a") == nil)
        #expect(AccountHistory(packed: [2] + packed.dropFirst(), account: "a") == nil, "an unknown version")
        for length in [1, packed.count / 3, packed.count - 1] {
            #expect(AccountHistory(packed: Array(packed.prefix(length)), account: "a") == nil, "cut at \(length)")
        }
        #expect(AccountHistory(packed: packed + [0], account: "a") == nil, "a byte too many")
    }
}
