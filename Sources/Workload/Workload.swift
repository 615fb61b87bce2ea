/// A deterministic synthetic workload: a rules directory with any number of partners and a
/// stream of events that exercises what crosses accounts and batches — budgets and `per: all`
/// caps that run out, per-account caps and counts, first purchases, spend tiers, refunds
/// (partial, full, beyond), reversals, orphans and duplicates. Tests, benchmarks and load tests
/// share it, and `cashback generate` writes it to disk.
public struct Workload: Sendable {
    /// How many partner files (at least 3: a budgeted one, a capped one, a glob one).
    public let partners: Int
    /// How many accounts payments are spread over.
    public let accounts: Int
    /// Whether to mix in invalid lines and conflicting ids (which `enqueue` refuses).
    public let includeRejects: Bool

    public init(partners: Int = 3, accounts: Int = 40, includeRejects: Bool = false) {
        self.partners = max(3, partners)
        self.accounts = max(1, accounts)
        self.includeRejects = includeRejects
    }

    /// The rule files, as (path relative to the rules directory, YAML text).
    public var ruleFiles: [(path: String, text: String)] {
        var files: [(String, String)] = [
            (
                "program.yaml",
                """
                currency: EUR
                timezone: Europe/Paris
                confirm_after: 30d
                limits:
                  - { per: account, period: month, max: 40.00 }
                rules:
                  - id: welcome
                    when:
                      - first_purchase: true
                    reward: { flat: 3.00 }
                    limits:
                      - { per: all, period: lifetime, count: 25 }
                  - id: abroad
                    when:
                      - country: { not: [FR] }
                    reward: { percentage: 1% }
                """
            ),
            (
                "partners/budgeted.yaml",
                """
                partner: budgeted
                match: { mid: [B1, B2] }
                budget: 150.00
                stacking: best
                rules:
                  - id: base
                    reward: { percentage: 4% }
                  - id: big
                    when:
                      - amount: { min: 100.00 }
                    reward: { flat: 6.00 }
                    limits:
                      - { per: all, period: day, max: 30.00 }
                """
            ),
            (
                "partners/capped.yaml",
                """
                partner: capped
                match: { name: ["CAPPED*"] }
                limits:
                  - { per: account, period: week, max: 12.00, count: 3 }
                rules:
                  - id: tiered
                    reward:
                      tiered:
                        by: spend
                        period: month
                        tiers:
                          - { from: 0, rate: 2% }
                          - { from: 200.00, rate: 5% }
                  - id: first
                    when:
                      - first_purchase: true
                    reward: { flat: 1.50 }
                """
            ),
        ]
        for index in 0..<(partners - 3) {
            files.append(
                (
                    "partners/shops/shop\(index).yaml",
                    """
                    partner: shop\(index)
                    match: { mid: [S\(index)A, S\(index)B], siret: ["\(Workload.siret(index))"] }
                    rules:
                      - id: base
                        reward: { percentage: \(1 + index % 5)% }
                        limits:
                          - { per: account, period: month, max: 20.00 }
                      - id: weekend
                        when:
                          - weekday: [sat, sun]
                        reward: { flat: 0.50 }
                    """
                ))
        }
        return files
    }

    /// A 14-digit SIRET for a generated partner.
    static func siret(_ index: Int) -> String {
        let digits = String(index)
        return "7" + String(repeating: "0", count: 13 - digits.count) + digits
    }

    /// `count` events as JSON Lines, from the random stream seeded by `seed`.
    public func events(count: Int, seed: UInt64) -> [String] {
        var random = SplitMix(seed: seed)
        var lines: [String] = []
        lines.reserveCapacity(count)
        var payments: [(id: String, amount: Int)] = []
        var orphanTargets: [String] = []
        for index in 0..<count {
            let day = 1 + index * 60 / max(count, 1)
            let date = day <= 30 ? "2026-11-\(day < 10 ? "0" : "")\(day)" : "2026-12-\(day - 30 < 10 ? "0" : "")\(day - 30)"
            let time = "\(date)T\(10 + random.next(10)):\(10 + random.next(49)):00Z"
            let account = "a\(random.next(accounts))"
            let roll = random.next(includeRejects ? 22 : 20)
            switch roll {
            case 0 where !payments.isEmpty:
                let original = payments[random.next(payments.count)]
                let amount = max(1, original.amount * (1 + random.next(120)) / 100)
                lines.append(
                    #"{"id":"r\#(index)","type":"refund","original_id":"\#(original.id)","occurred_at":"\#(time)","amount":"\#(Workload.decimal(amount))","currency":"EUR"}"#
                )
            case 1 where !payments.isEmpty:
                lines.append(
                    #"{"id":"v\#(index)","type":"reversal","original_id":"\#(payments[random.next(payments.count)].id)","occurred_at":"\#(time)"}"#
                )
            case 2:
                let target = "late\(index)"
                orphanTargets.append(target)
                lines.append(
                    #"{"id":"o\#(index)","type":"refund","original_id":"\#(target)","occurred_at":"\#(time)","amount":"1.00","currency":"EUR"}"#
                )
            case 3 where !lines.isEmpty:
                lines.append(lines[random.next(lines.count)])
            case 20:
                lines.append(
                    #"{"id":"bad\#(index)","account":"\#(account)","occurred_at":"\#(time)","amount":"1.001","currency":"EUR","merchant":{"mid":"B1"}}"#
                )
            case 21 where !payments.isEmpty:
                let original = payments[random.next(payments.count)]
                lines.append(
                    #"{"id":"\#(original.id)","account":"\#(account)","occurred_at":"\#(time)","amount":"0.01","currency":"EUR","merchant":{"mid":"B1"}}"#
                )
            default:
                let id = random.next(6) == 0 && !orphanTargets.isEmpty ? orphanTargets.removeFirst() : "p\(index)"
                let amount = 100 + random.next(30_000)
                let merchant: String
                switch random.next(6) {
                case 0: merchant = #"{"mid":"B\#(1 + random.next(2))","country":"FR"}"#
                case 1:
                    merchant =
                        #"{"name":"capped \#(random.next(3))","country":"\#(random.next(3) == 0 ? "BE" : "FR")","channel":"online"}"#
                case 2: merchant = #"{"name":"Elsewhere","country":"DE","mcc":"5411"}"#
                case 3 where partners > 3:
                    let shop = random.next(partners - 3)
                    merchant =
                        random.next(4) == 0
                        ? #"{"siret":"\#(Workload.siret(shop))","country":"FR"}"#
                        : #"{"mid":"S\#(shop)\#(random.next(2) == 0 ? "A" : "B")","name":"Shop \#(shop)","country":"FR"}"#
                default: merchant = #"{"mid":"B1","name":"budget shop"}"#
                }
                lines.append(
                    #"{"id":"\#(id)","account":"\#(account)","occurred_at":"\#(time)","amount":"\#(Workload.decimal(amount))","currency":"EUR","merchant":\#(merchant)}"#
                )
                payments.append((id, amount))
            }
        }
        return lines
    }

    static func decimal(_ cents: Int) -> String {
        let remainder = cents % 100
        return "\(cents / 100).\(remainder < 10 ? "0" : "")\(remainder)"
    }
}

/// SplitMix64: a small, fast, seedable generator, so that workloads (and seeded tests) are
/// reproducible.
package struct SplitMix {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    package mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
