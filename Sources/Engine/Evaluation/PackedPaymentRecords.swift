/// Payment records packed one after another in one byte buffer: what the in-memory state keeps
/// of every payment for its refunds, in some 60 bytes instead of a `PaymentRecord`'s 250, with
/// no allocation and no reference to count per payment.
///
/// A record is read back only for a refund or reversal. One changed by a clawback is appended
/// again (the old bytes stay, unused): clawbacks are few.
struct PackedPaymentRecords {
    private var writer: BinaryWriter

    /// Room for about `expectedRecords` records before the buffer grows.
    init(expectedRecords: Int = 0) {
        writer = BinaryWriter(reservingCapacity: expectedRecords * 64)
    }

    /// Appends a record (all but its id, which its owner knows); returns where it starts.
    mutating func append(_ record: PaymentRecord) -> Int {
        let start = writer.bytes.count
        writer.paymentRecord(record)
        return start
    }

    /// The record of payment `id` that starts at `position` (as `append` answered).
    func record(at position: Int, id: String) -> PaymentRecord {
        var reader = BinaryReader(bytes: writer.bytes, offset: position)
        guard let record = reader.paymentRecord(id: id) else {
            preconditionFailure("the payment record packed at \(position) does not read back")
        }
        return record
    }
}

extension BinaryWriter {
    /// Writes a payment record, all but its id (its owner knows it), as
    /// `BinaryReader.paymentRecord(id:)` reads it back.
    package mutating func paymentRecord(_ record: PaymentRecord) {
        string(record.account)
        optionalString(record.partner)
        string(record.currency.code)
        integer(record.amount)
        timestamp(record.occurredAt)
        integer(record.refunded)
        bool(record.countsReleased)
        varint(UInt64(record.lines.count))
        for line in record.lines {
            string(line.rule)
            integer(line.amount)
            integer(line.clawedBack)
            usageKeys(line.usageKeys)
        }
        usageKeys(record.countKeys)
    }

    private mutating func usageKeys(_ keys: SmallArray<UsageKey>) {
        varint(UInt64(keys.count))
        for key in keys {
            string(key.limit)
            optionalString(key.account)
            string(key.period.period.rawValue)
            integer(key.period.index)
        }
    }
}

extension BinaryReader {
    /// The payment record `BinaryWriter.paymentRecord` wrote, with its id; `nil` when the bytes
    /// are not one.
    package mutating func paymentRecord(id: String) -> PaymentRecord? {
        guard let account = string(), let partner = optionalString(), let currency = currency(), let amount = integer(),
            let occurredAt = timestamp(), let refunded = integer(), let countsReleased = bool(),
            let lineCount = count()
        else { return nil }
        var lines = SmallArray<RecordedLine>()
        for _ in 0..<lineCount {
            guard let rule = string(), let lineAmount = integer(), let clawedBack = integer(), let keys = usageKeys()
            else { return nil }
            lines.append(RecordedLine(rule: rule, amount: lineAmount, clawedBack: clawedBack, usageKeys: keys))
        }
        guard let countKeys = usageKeys() else { return nil }
        return PaymentRecord(
            id: id, account: account, partner: partner, currency: currency, amount: amount, occurredAt: occurredAt,
            lines: lines, countKeys: countKeys, refunded: refunded, countsReleased: countsReleased)
    }

    private mutating func usageKeys() -> SmallArray<UsageKey>? {
        guard let count = count() else { return nil }
        var keys = SmallArray<UsageKey>()
        for _ in 0..<count {
            guard let limit = string(), let account = optionalString(),
                let period = string().flatMap(Period.init(rawValue:)), let index = integer()
            else { return nil }
            keys.append(UsageKey(limit: limit, account: account, period: PeriodKey(period: period, index: index)))
        }
        return keys
    }
}
