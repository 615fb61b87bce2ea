import ArgumentParser
import BuiltinPlugins
import Engine
import Foundation
import Store

/// `cashback report [--rules DIR] [--base DIR] [--db FILE [--from DATE] [--until DATE]]
/// [--out FILE] [FILE…]`: one self-contained HTML page of partner figures, budgets, cashback per
/// rule and per day, and the accounts a limit cut most often; from a dry-run of the files, a
/// diff against `--base`, or the decisions a database stored.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report with charts, from a dry-run, a diff (--base) or a database.")

    @Option(help: "The rules directory (with --db: for the budgets and time zones).")
    var rules = "rules"

    @Option(help: "Compare with this rules directory: the report shows what the rules change.")
    var base: String?

    @Option(help: "Report on the decisions this database stored instead of evaluating files.")
    var db: String?

    @Option(help: "With --db: only events on or after this date (YYYY-MM-DD, the programme's time zone).")
    var from: String?

    @Option(help: "With --db: only events on or before this date (YYYY-MM-DD).")
    var until: String?

    @Option(help: "Write the report to this file instead of standard output.")
    var out: String?

    @Argument(help: "JSON Lines files of events; - reads standard input.")
    var files: [String] = []

    func validate() throws {
        guard (db == nil) != files.isEmpty else { throw ValidationError("name events files or --db, not both") }
        guard db != nil || (from == nil && until == nil) else { throw ValidationError("--from and --until go with --db") }
        guard db == nil || base == nil else { throw ValidationError("--base compares rules over files, not a database") }
        for (name, value) in [("--from", from), ("--until", until)] {
            if let value, CivilDate(iso: value) == nil { throw ValidationError("\(name): expected YYYY-MM-DD, got '\(value)'") }
        }
    }

    func run() async throws {
        let ruleSet = try RulesDirectory.load(rules)
        let zones = Dictionary(uniqueKeysWithValues: ruleSet.partners.map { ($0.id, $0.zone) })
        let zone = { (partner: String?) in partner.flatMap { zones[$0] } ?? ruleSet.program.zone }
        var data = ReportData()
        var comparison: RulesComparison?
        var forecasts: [String: BudgetForecast] = [:]
        let source: String
        if let db {
            let store = try DatabaseArgument.open(db, access: .readOnly)
            forecasts = try await ReportCommand.forecasts(of: ruleSet, in: store)
            (data, source) = try await storedDecisions(in: store, zone: zone, programZone: ruleSet.program.zone)
        } else {
            var evaluators = [Evaluator(rules: ruleSet, explain: true)]
            if let base { evaluators.append(Evaluator(rules: try RulesDirectory.load(base), explain: false)) }
            var compared = base.map { _ in RulesComparison(keepChanges: 50) }
            let events = try await EventsToEvaluate(files: files, db: nil).source()
            _ = try EvaluationPipeline(evaluators: evaluators).run(read: events.read, expectedCount: events.expectedCount) {
                decisions in
                for decision in decisions[0] {
                    data.add(
                        decision, occurredAt: decision.occurredAt, zone: zone(decision.amounts?.partner),
                        wasCapped: decision.amounts?.trace?.anyLimitCut ?? false)
                }
                compared?.add(base: decisions[1], candidate: decisions[0])
            }
            comparison = compared
            source =
                base.map { "What the rules in \(rules) change against those in \($0), over \(files.joined(separator: ", "))." }
                ?? "A dry-run of \(files.joined(separator: ", ")) with the rules in \(rules)."
        }
        let page = HTMLReport(source: source, rules: ruleSet, data: data, comparison: comparison, forecasts: forecasts)
            .render()
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(page.utf8)) else {
                throw ValidationError("--out: cannot write \(out)")
            }
        } else {
            print(page, terminator: "")
        }
    }

    /// Counts the decisions the database stored for events between `--from` and `--until`, and
    /// says so in words.
    private func storedDecisions(
        in store: any Storage, zone: (String?) -> Zone, programZone: Zone
    ) async throws -> (data: ReportData, source: String) {
        var data = ReportData()
        var occurred: [String: Timestamp] = [:]
        for queued in try await store.allQueued() {
            if case .event(let event, _) = queued.input { occurred[event.id] = event.occurredAt }
        }
        let first = from.flatMap(CivilDate.init(iso:))
        let last = until.flatMap(CivilDate.init(iso:))
        try store.forEachDecision { stored in
            guard let decision = Decision(storedJSON: stored.json, paymentAmount: stored.paymentAmount),
                let id = decision.eventID, let when = occurred[id]
            else { return }
            let day = programZone.localTime(when).date
            if let first, day < first { return }
            if let last, day > last { return }
            data.add(
                decision, occurredAt: when, zone: zone(decision.amounts?.partner),
                wasCapped: stored.trace.map { ReportCommand.anyLimitCut(inTrace: $0) } ?? false)
        }
        let period = (from.map { " from \($0)" } ?? "") + (until.map { " until \($0)" } ?? "")
        return (data, "The decisions stored in \(store.name)\(period), with the budgets of the rules in \(rules).")
    }

    /// Each budgeted partner's burn and projected exhaustion now, as the stats endpoint gives them.
    static func forecasts(of rules: RuleSet, in store: any Storage) async throws -> [String: BudgetForecast] {
        let now = WallClock.now
        var forecasts: [String: BudgetForecast] = [:]
        for partner in rules.partners {
            guard let budget = partner.budget, let currency = partner.currency else { continue }
            let used =
                try await store.stats(ofPartner: partner.id).first { $0.currency == currency.code }?.figures.budgetUsed ?? 0
            forecasts[partner.id] = try await BudgetForecast.of(
                partner: partner.id, currency: currency.code, left: max(0, Int128(budget) - used), now: now, in: store)
        }
        return forecasts
    }

    /// Whether a stored trace shows a limit that cut an amount (an `after` below its `before`).
    static func anyLimitCut(inTrace text: String) -> Bool {
        guard let trace = try? JSONParser.parse(text) else { return false }
        func cut(_ value: JSONValue) -> Bool {
            switch value {
            case .object(let members):
                if case .string(let before)? = value["before"], case .string(let after)? = value["after"],
                    let beforeUnits = Int(before.replacingOccurrences(of: ".", with: "")),
                    let afterUnits = Int(after.replacingOccurrences(of: ".", with: "")), afterUnits < beforeUnits
                {
                    return true
                }
                return members.contains { cut($0.value) }
            case .array(let items): return items.contains(where: cut)
            default: return false
            }
        }
        return cut(trace)
    }
}
