import Foundation
import Testing

/// An account is one id however its letters are spelled, the same in `dry-run` and in the
/// store: canonically equivalent spellings are one account (NFC), and an id with a control
/// character (a NUL would be cut short in the store) is invalid.
@Suite struct AccountSpellingTests {
    static func payment(_ id: String, account: String, day: Int) -> String {
        #"{"id":"\#(id)","account":"\#(account)","occurred_at":"2026-11-0\#(day)T20:42:26+01:00","amount":"64.00","currency":"EUR","merchant":{"name":"PETITE-BOUTIQUE.FR","mcc":"5719","country":"FR","channel":"online"}}"#
    }

    @Test(arguments: StoreBackend.available) func canonicallyEquivalentSpellingsAreOneAccountEverywhere(
        backend: StoreBackend
    ) throws {
        let directory = try ServiceFaultTests.directoryWithTokens()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let events = [
            Self.payment("u1", account: #"caf\u00e9"#, day: 2), Self.payment("u2", account: #"cafe\u0301"#, day: 3),
            Self.payment("n1", account: #"a\u0000b"#, day: 4), Self.payment("n2", account: "a", day: 5),
        ]
        try directory.write("events.jsonl", events.joined(separator: "\n") + "\n")
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--rules", "rules", "--format", "json", "events.jsonl"], in: directory.url)
        #expect(dryRun.status == 0)
        let lines = dryRun.lines
        #expect(lines.count == 4)
        #expect(lines[0].contains(#""account":"café""#) && lines[1].contains(#""account":"café""#), "both written in NFC")
        #expect(lines[0] != lines[1].replacingOccurrences(of: "u2", with: "u1"), "the second is not a first purchase")
        #expect(lines[2].contains(#""status":"invalid""#) && lines[2].contains("control characters"), "\(lines[2])")

        // The store agrees, batch by batch (the history crosses batches).
        let enqueue = try CashbackBinary.run(["enqueue", "--db", database.argument, "events.jsonl"], in: directory.url)
        #expect(enqueue.status != 0, "enqueue refuses a file with an invalid event")
        try directory.write("valid.jsonl", [events[0], events[1], events[3]].joined(separator: "\n") + "\n")
        #expect(try CashbackBinary.run(["enqueue", "--db", database.argument, "valid.jsonl"], in: directory.url).status == 0)
        let process = try CashbackBinary.run(
            ["process", "--rules", "rules", "--db", database.argument, "--workers", "1", "--batch-size", "1"], in: directory.url)
        #expect(process.status == 0, "\(process.stderr)")
        let stored = try CashbackBinary.run(["decisions", "--db", database.argument], in: directory.url)
        let expected = try CashbackBinary.run(
            ["dry-run", "--rules", "rules", "--format", "json", "valid.jsonl"], in: directory.url)
        #expect(stored.stdout == expected.stdout)
    }
}
