import Benchmark
import BuiltinPlugins
import Engine

// Does the cost of evaluating a payment grow with the number of partners? Two rule sets that
// differ only in the number of id-matched partners (10 and 10,000) evaluate the same batches of
// pre-parsed payments. Each benchmark iteration processes one batch of `batchSize` events from a
// fresh `InMemoryState`; with `scalingFactor: .kilo` every figure is per event (throughput in
// events per second).

/// Events per batch: must equal the scaling factor, so that the scaled figures are per event.
let batchSize = 1_000

/// Name-glob partners, the same in both rule sets: glob-matched and unmatched payments scan these.
let globPartnerCount = 5

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .instructions, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    for fixture in [Fixture.small, Fixture.large] {
        for mix in Mix.allCases {
            Benchmark("Evaluate \(mix.rawValue), partners=\(fixture.partnerCount)") { benchmark in
                // The state as `dry-run` makes it: the history its rules read.
                try measureEvaluation(benchmark, fixture, mix, keeping: fixture.rules.historyRead)
            } setup: {
                // Build the rule set and the batches before measuring (a 10,000-file load takes a while).
                _ = fixture.batches
            }
        }
        // The mixed batch in a state that keeps every part of the history (as one whose rules
        // read payment counts and spend would): what counting the accounts' payments costs.
        Benchmark("Evaluate mixed keeping all history, partners=\(fixture.partnerCount)") { benchmark in
            try measureEvaluation(benchmark, fixture, .mixed, keeping: .all)
        } setup: {
            _ = fixture.batches
        }
        // Attribution alone (the partner index lookup), to separate it from the rest of evaluation.
        Benchmark("Attribute mixed, partners=\(fixture.partnerCount)") { benchmark in
            let rules = fixture.rules
            let events = fixture.batches[.mixed]!
            benchmark.startMeasurement()
            for event in events {
                blackHole(rules.attribute(event))
            }
            benchmark.stopMeasurement()
        } setup: {
            _ = fixture.batches
        }
    }

    Benchmark("EventParser.parse(line:)") { benchmark in
        for line in Fixture.small.lines {
            blackHole(EventParser.parse(line: line))
        }
    } setup: {
        _ = Fixture.small.lines
    }

    // Printing: each decision of the mixed batch as its `dry-run --format json` line.
    Benchmark("Decision.jsonLine") { benchmark in
        for decision in Fixture.small.decisions {
            blackHole(decision.jsonLine(includeTrace: false))
        }
    } setup: {
        _ = Fixture.small.decisions
    }
}

/// Measures the evaluation of a batch in a fresh state that keeps `kept` of the history, its
/// tables sized for the batch. A plugin failure ends the benchmark with an error (the throwing
/// `Benchmark` initialiser).
func measureEvaluation(_ benchmark: Benchmark, _ fixture: Fixture, _ mix: Mix, keeping kept: HistoryParts) throws {
    let evaluator = Evaluator(rules: fixture.rules)
    let events = fixture.batches[mix]!
    let state = InMemoryState(keeping: kept, expectedEvents: events.count)
    benchmark.startMeasurement()
    for event in events {
        blackHole(try evaluator.process(.event(.payment(event), .none), state: state))
    }
    benchmark.stopMeasurement()
}

/// Which payments a batch holds. Each batch's random seed is its position here: add cases at the end.
enum Mix: String, CaseIterable, Sendable {
    /// 70% by `mid`, 15% by `siret`, 10% by name glob, 5% matching no partner.
    case mixed
    case mid
    case siret
    case glob
    case unmatched
    /// By `mid`, drawn from the first 10 partners only: with 10,000 partners, it separates the
    /// cost of touching a random one of many partners (memory locality) from the lookup itself.
    case midHot = "mid-hot10"
}

/// A rule set of `partnerCount` id-matched partners (plus the glob partners) and its event batches.
final class Fixture: Sendable {
    static let small = Fixture(partnerCount: 10)
    static let large = Fixture(partnerCount: 10_000)

    let partnerCount: Int
    let rules: RuleSet
    /// The JSON lines of the mixed batch, as bytes.
    let lines: [[UInt8]]
    /// The pre-parsed events of each batch (all payments).
    let batches: [Mix: [Event.Payment]]
    /// The decisions of the mixed batch, evaluated in a fresh state.
    let decisions: [Decision]

    init(partnerCount: Int) {
        self.partnerCount = partnerCount
        let rules = Fixture.loadRules(partnerCount: partnerCount)
        self.rules = rules
        var batches: [Mix: [Event.Payment]] = [:]
        var mixedLines: [[UInt8]] = []
        for mix in Mix.allCases {
            // The same seed for both rule sets: the batches differ only in which partner is drawn.
            var random = SplitMix64(seed: 0x5EED_0000 &+ UInt64(Mix.allCases.firstIndex(of: mix)!))
            let lines = (0..<batchSize).map { index in
                Fixture.eventLine(index: index, mix: mix, partnerCount: partnerCount, random: &random)
            }
            batches[mix] = lines.map { line in
                switch EventParser.parse(line: Array(line.utf8)) {
                case .success(.payment(let payment)): return payment
                case .success(let event): fatalError("benchmark event is not a payment: \(event)")
                case .failure(let error): fatalError("benchmark event is invalid: \(error) in \(line)")
                }
            }
            if mix == .mixed { mixedLines = lines.map { Array($0.utf8) } }
        }
        self.batches = batches
        self.lines = mixedLines
        let evaluator = Evaluator(rules: rules)
        let state = InMemoryState()
        decisions = batches[.mixed]!.flatMap { event in try! evaluator.process(.event(.payment(event), .none), state: state) }
        Fixture.check(self)
    }

    // MARK: rules

    static func loadRules(partnerCount: Int) -> RuleSet {
        var sources = [
            RuleSource(
                relativePath: "program.yaml", displayPath: "program.yaml",
                text: "currency: EUR\ntimezone: Europe/Paris\nrounding: down\n")
        ]
        for index in 0..<partnerCount {
            let path = "partners/p\(pad(index, 5)).yaml"
            sources.append(RuleSource(relativePath: path, displayPath: path, text: partnerFile(index)))
        }
        for index in 0..<globPartnerCount {
            // `zz-` sorts after the id-matched partners: globs are tried in path order.
            let path = "partners/zz-glob-\(index).yaml"
            sources.append(RuleSource(relativePath: path, displayPath: path, text: globPartnerFile(index)))
        }
        let outcome = RuleLoader(registry: .builtin).load(sources: sources)
        guard let rules = outcome.rules else {
            fatalError("benchmark rules do not load: \(outcome.diagnostics.prefix(5))")
        }
        precondition(rules.partners.count == partnerCount + globPartnerCount)
        return rules
    }

    static func partnerFile(_ index: Int) -> String {
        """
        partner: p-\(pad(index, 5))
        name: Partner \(index)
        match:
          mid: [\(mid(index, 0)), \(mid(index, 1))]
          siret: ["\(siret(index))"]
        currency: EUR
        rules:
          - id: base
            reward: { percentage: 5% }
            limits:
              - { per: account, period: month, max: 20.00 }

        """
    }

    static func globPartnerFile(_ index: Int) -> String {
        """
        partner: glob-\(index)
        name: Glob \(index)
        match:
          name: ["CHAIN\(index) *"]
        currency: EUR
        rules:
          - id: base
            reward: { percentage: 5% }
            limits:
              - { per: account, period: month, max: 20.00 }

        """
    }

    static func mid(_ partner: Int, _ which: Int) -> String { "MID\(pad(partner, 6))\(which == 0 ? "A" : "B")" }
    static func siret(_ partner: Int) -> String { "9" + pad(partner, 13) }

    // MARK: events

    static func eventLine(index: Int, mix: Mix, partnerCount: Int, random: inout SplitMix64) -> String {
        let kind: Mix
        if mix == .mixed {
            switch index % 20 {
            case 0..<14: kind = .mid
            case 14..<17: kind = .siret
            case 17..<19: kind = .glob
            default: kind = .unmatched
            }
        } else {
            kind = mix
        }
        let partner = Int(random.next() % UInt64(kind == .midHot ? min(10, partnerCount) : partnerCount))
        let merchant: String
        switch kind {
        case .mid, .midHot:
            merchant =
                #"{"mid":"\#(mid(partner, Int(random.next() % 2)))","name":"SHOP \#(partner)","mcc":"5411","country":"FR","channel":"in_store"}"#
        case .siret:
            merchant = #"{"siret":"\#(siret(partner))","name":"SHOP \#(partner)","mcc":"5411","country":"FR","channel":"online"}"#
        case .glob:
            let chain = Int(random.next() % UInt64(globPartnerCount))
            merchant = #"{"name":"Chain\#(chain) Store \#(partner)","mcc":"5812","country":"FR","channel":"in_store"}"#
        case .unmatched, .mixed:
            // An unclaimed mid and a name no glob matches: the index finds nothing after scanning the globs.
            merchant = #"{"mid":"UNKNOWN\#(partner)","name":"NOBODY \#(partner)","mcc":"5999","country":"FR","channel":"online"}"#
        }
        let account = "acct-\(random.next() % 200)"
        let day = 1 + Int(random.next() % 28)
        let minute = Int(random.next() % (24 * 60))
        let cents = 100 + Int(random.next() % 19_900)
        return
            #"{"id":"e\#(index)","account":"\#(account)","occurred_at":"2026-11-\#(pad(day, 2))T\#(pad(minute / 60, 2)):\#(pad(minute % 60, 2)):00+01:00","amount":"\#(cents / 100).\#(pad(cents % 100, 2))","currency":"EUR","merchant":\#(merchant)}"#
    }

    /// The batches really are attributed as their names say.
    static func check(_ fixture: Fixture) {
        for (mix, events) in fixture.batches {
            let attributed = events.filter { fixture.rules.attribute($0) != nil }.count
            switch mix {
            case .mixed: precondition(attributed == batchSize * 19 / 20, "mixed: \(attributed) attributed")
            case .unmatched: precondition(attributed == 0, "unmatched: \(attributed) attributed")
            default: precondition(attributed == batchSize, "\(mix): \(attributed) attributed")
            }
        }
        // The 5% rules really reward: an evaluation that rewarded nothing would measure the wrong thing.
        let evaluator = Evaluator(rules: fixture.rules)
        let state = InMemoryState()
        var rewarded = 0
        for event in fixture.batches[.mixed]! {
            let decisions = try! evaluator.process(.event(.payment(event), .none), state: state)
            rewarded += decisions.filter { $0.status == .rewarded }.count
        }
        precondition(rewarded > batchSize / 2, "mixed: only \(rewarded) payments rewarded")
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// A small deterministic generator, so that every run evaluates the same batches.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
