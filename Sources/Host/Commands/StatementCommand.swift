import ArgumentParser
import BuiltinPlugins
import Engine
import Reports
import Store

/// `cashback statement --db DB --partner ID --month YYYY-MM [--format json|csv|html]`: the
/// monthly statement the bank sends a partner (`PartnerStatement`). The month is a calendar
/// month of the partner's time zone, as the rules recorded last set it.
struct StatementCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Print a partner's monthly statement: the cashback it funds that became payable, clawbacks, net due.")

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Option(help: "The partner's id.")
    var partner: String

    @Option(help: "The month, YYYY-MM.")
    var month: String

    @Option(help: "Output format: json, csv or html.")
    var format: StatementReport.Format = .json

    @Option(help: ArgumentHelp("The time it is (RFC 3339), for whether the month is closed.", visibility: .hidden))
    var now: String?

    func validate() throws {
        guard PartnerStatement.month(of: month) != nil else {
            throw ValidationError("--month: expected YYYY-MM, got '\(month)'")
        }
    }

    func run() async throws {
        guard let (year, monthNumber) = PartnerStatement.month(of: month) else {
            throw ValidationError("--month: expected YYYY-MM, got '\(month)'")
        }
        let clock =
            try now.map { text in
                guard case .success(let time) = Timestamp.parse(text) else {
                    throw ValidationError("--now: not RFC 3339: \(text)")
                }
                return time
            } ?? WallClock.now
        let store = try DatabaseArgument.open(db, access: .readOnly)
        let zone = try await StatementCommand.zone(of: partner, in: store)
        guard
            let statement = try await PartnerStatement.of(
                partner: partner, year: year, month: monthNumber, zone: zone, now: clock, in: store)
        else { throw ValidationError("--month: expected YYYY-MM, got '\(month)'") }
        print(StatementReport.render(statement, as: format), terminator: "")
    }

    /// The partner's time zone in the rules recorded last (the programme's when the partner sets
    /// none or is gone from them; UTC when no rules were recorded).
    static func zone(of partner: String, in store: any Storage) async throws -> Zone {
        guard let version = try await store.newestRulesVersion(), let sources = try await store.rulesSnapshot(version),
            let rules = RuleLoader(registry: .builtin).load(sources: sources).rules
        else { return .utc }
        return rules.partners.first { $0.id == partner }?.zone ?? rules.program.zone
    }
}

extension StatementReport.Format: ExpressibleByArgument {}
