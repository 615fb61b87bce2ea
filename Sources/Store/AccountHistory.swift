import Engine

/// One account's whole payment history: how often it paid at each partner (`nil`: anywhere) and
/// its spend per scope and local day, and the usage of its `per: account` limits.
///
/// It is stored as one row of the `histories` table, packed (`packed()`): a batch reads an
/// account's history in one lookup and writes it back in one upsert, whatever it changed.
struct AccountHistory: Sendable {
    var purchases: [String?: Int] = [:]
    var spends: [SpendScope: [Int: Int]] = [:]
    /// Every usage kept for the account (a key missing is a usage of zero).
    var usage: [UsageKey: Usage] = [:]

    /// What it costs the cache: the values it holds, and 8 for its own tables.
    var cacheCost: Int { 8 + purchases.count + spends.values.reduce(0) { $0 + $1.count } + usage.count }
}

extension AccountHistory {
    /// The version byte that starts a packed history.
    private static let packedVersion: UInt8 = 1

    /// The history as the bytes of its `histories` row: a version byte, then the purchase
    /// counts, the spend by scope and day, and the usages, each a count followed by its
    /// entries (strings and integers as `BinaryWriter` writes them). The account is the row's key.
    func packed() -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: 16 + 8 * cacheCost)
        writer.bytes.append(Self.packedVersion)
        writer.varint(UInt64(purchases.count))
        for (partner, count) in purchases {
            writer.optionalString(partner)
            writer.integer(count)
        }
        writer.varint(UInt64(spends.count))
        for (scope, days) in spends {
            writer.optionalString(scope.partner)
            writer.string(scope.currency)
            writer.varint(UInt64(days.count))
            for (day, amount) in days {
                writer.integer(day)
                writer.integer(amount)
            }
        }
        writer.varint(UInt64(usage.count))
        for (key, value) in usage {
            writer.string(key.limit)
            writer.string(key.period.period.rawValue)
            writer.integer(key.period.index)
            writer.integer(value.amount)
            writer.integer(value.count)
        }
        return writer.bytes
    }

    /// The history `packed()` wrote for `account`; `nil` when the bytes are not one.
    init?(packed bytes: [UInt8], account: String) {
        var reader = BinaryReader(bytes: bytes)
        guard reader.byte() == Self.packedVersion, let purchaseCount = reader.count() else { return nil }
        for _ in 0..<purchaseCount {
            guard let partner = reader.optionalString(), let count = reader.integer() else { return nil }
            purchases[partner] = count
        }
        guard let scopeCount = reader.count() else { return nil }
        for _ in 0..<scopeCount {
            guard let partner = reader.optionalString(), let currency = reader.string(), let dayCount = reader.count()
            else { return nil }
            var days: [Int: Int] = [:]
            days.reserveCapacity(dayCount)
            for _ in 0..<dayCount {
                guard let day = reader.integer(), let amount = reader.integer() else { return nil }
                days[day] = amount
            }
            spends[SpendScope(account: account, partner: partner, currency: currency)] = days
        }
        guard let usageCount = reader.count() else { return nil }
        for _ in 0..<usageCount {
            guard let limit = reader.string(), let period = reader.string().flatMap(Period.init(rawValue:)),
                let index = reader.integer(), let amount = reader.integer(), let count = reader.integer()
            else { return nil }
            let key = UsageKey(limit: limit, account: account, period: PeriodKey(period: period, index: index))
            usage[key] = Usage(amount: amount, count: count)
        }
        guard reader.isAtEnd else { return nil }
    }
}
