import ArgumentParser
import Store

/// `cashback check --db FILE [--full]`: verifies the database's pages without changing it.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Verify that a database is whole (SQLite's quick_check, or integrity_check with --full).")

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Flag(help: "Also check indexes against their tables (slower).")
    var full = false

    func run() throws {
        let store = try DatabaseArgument.open(db, access: .readOnly)
        try store.check(full: full)
        print("ok: \(store.name)")
    }
}
