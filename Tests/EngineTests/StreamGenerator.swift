import Engine

/// A deterministic stream of events that exercises what crosses accounts and batches: budgets
/// and `per: all` caps that run out, per-account caps and counts, first purchases, spend
/// tiers, refunds (partial, full, beyond), reversals, orphans and duplicates.
struct StreamGenerator {
    static let rules: [(String, String)] = [
        ("program.yaml", """
        currency: EUR
        timezone: Europe/Paris
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
        """),
        ("partners/budgeted.yaml", """
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
        """),
        ("partners/capped.yaml", """
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
        """),
    ]

    private var seed: UInt64

    init(seed: UInt64) { self.seed = seed }

    private mutating func next(_ bound: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((seed >> 33) % UInt64(bound))
    }

    /// `count` JSON Lines events.
    mutating func lines(count: Int) -> [String] {
        var lines: [String] = []
        var payments: [(id: String, amount: Int)] = []
        var orphanTargets: [String] = []
        for index in 0..<count {
            let day = 1 + index * 60 / count
            let time = "2026-11-\(day < 10 ? "0" : "")\(day)T\(10 + next(10)):\(10 + next(49)):00Z"
            let account = "a\(next(40))"
            switch next(20) {
            case 0 where !payments.isEmpty:
                let original = payments[next(payments.count)]
                let amount = max(1, original.amount * (1 + next(120)) / 100)
                lines.append(#"{"id":"r\#(index)","type":"refund","original_id":"\#(original.id)","occurred_at":"\#(time)","amount":"\#(DecimalAmount.format(amount, digits: 2))","currency":"EUR"}"#)
            case 1 where !payments.isEmpty:
                lines.append(#"{"id":"v\#(index)","type":"reversal","original_id":"\#(payments[next(payments.count)].id)","occurred_at":"\#(time)"}"#)
            case 2:
                let target = "late\(index)"
                orphanTargets.append(target)
                lines.append(#"{"id":"o\#(index)","type":"refund","original_id":"\#(target)","occurred_at":"\#(time)","amount":"1.00","currency":"EUR"}"#)
            case 3 where !lines.isEmpty:
                lines.append(lines[next(lines.count)])
            default:
                let id = next(6) == 0 && !orphanTargets.isEmpty ? orphanTargets.removeFirst() : "p\(index)"
                let amount = 100 + next(30_000)
                let merchant: String
                switch next(5) {
                case 0: merchant = #"{"mid":"B\#(1 + next(2))","country":"FR"}"#
                case 1: merchant = #"{"name":"capped \#(next(3))","country":"\#(next(3) == 0 ? "BE" : "FR")"}"#
                case 2: merchant = #"{"name":"Elsewhere","country":"DE"}"#
                default: merchant = #"{"mid":"B1","name":"budget shop"}"#
                }
                lines.append(#"{"id":"\#(id)","account":"\#(account)","occurred_at":"\#(time)","amount":"\#(DecimalAmount.format(amount, digits: 2))","currency":"EUR","merchant":\#(merchant)}"#)
                payments.append((id, amount))
            }
        }
        return lines
    }
}
