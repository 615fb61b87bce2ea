import Engine
import Foundation

/// A rules directory for the calendar's edges: every period kind (limits and spend tiers),
/// every calendar condition and `active` dates, in zones on both sides of UTC. Partner
/// `zone<i>` matches mid `M<i>`, partner `zone<i>-always` names `ZONE<i>*`; the programme
/// rewards every payment.
public enum HostileCalendarRules {
    /// The zones, one pair of partners each.
    public static let zones = [
        "UTC", "Europe/Paris", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kolkata", "Pacific/Pago_Pago",
    ]

    /// The files, as `rules/…`.
    public static func sources() -> [RuleSource] {
        var files = [
            (
                "program.yaml",
                """
                currency: EUR
                timezone: America/New_York
                limits:
                  - { per: account, period: day, max: 900.00 }
                  - { per: account, period: week, count: 500 }
                  - { per: all, period: month, max: 90000.00 }
                  - { per: account, period: year, max: 9000.00, count: 400 }
                  - { per: all, period: lifetime, count: 100000 }
                rules:
                  - id: spend-year
                    reward: { tiered: { by: spend, period: year, tiers: [{ from: 0, rate: 1% }, { from: 50.00, rate: 2% }] } }
                  - id: calendar
                    when:
                      - weekday: [mon, tue, wed, thu, fri, sat, sun]
                      - time: { from: "00:00", until: "23:59:59" }
                      - date: { from: 0001-01-01, until: 9999-12-31 }
                    reward: { flat: 0.05 }
                    limits:
                      - { per: account, period: month, count: 300 }
                """
            ),
            (
                "partners/active.yaml",
                """
                partner: active
                match: { name: ["ACTIVE*"] }
                timezone: Pacific/Kiritimati
                active: { from: 0001-01-01, until: 9999-12-31 }
                rules:
                  - { id: base, reward: { percentage: 1% } }
                """
            ),
        ]
        for (index, zone) in zones.enumerated() {
            var rules = Period.allCases.map { period in
                """
                  - id: spend-\(period.rawValue)
                    reward: { tiered: { by: spend, period: \(period.rawValue), mode: whole, tiers: [{ from: 0, rate: 1% }, { from: 10.00, rate: 2% }] } }
                    limits:
                      - { per: account, period: \(period.rawValue), max: 100.00, count: 50 }
                """
            }
            rules += [
                """
                  - id: weekend
                    when: [{ weekday: [sat, sun] }]
                    reward: { flat: 0.10 }
                  - id: night
                    when: [{ time: { from: "22:00", until: "06:00" } }]
                    reward: { flat: 0.20 }
                    limits: [{ per: payment, max: 0.15 }]
                  - id: day
                    when: [{ time: { from: "06:00", until: "22:00:30" } }]
                    reward: { flat: 0.25 }
                  - id: inside
                    when: [{ date: { from: 0001-01-01, until: 9999-12-31 } }]
                    reward: { flat: 0.30 }
                  - id: early
                    when: [{ date: { until: 0001-01-02 } }]
                    reward: { flat: 0.40 }
                  - id: late
                    when: [{ date: { from: 9999-12-31 } }]
                    reward: { flat: 0.50 }
                  - id: marginal
                    reward: { tiered: { by: amount, mode: marginal, tiers: [{ from: 0, rate: 1% }, { from: 10.00, rate: 100% }] } }
                """
            ]
            files.append(
                (
                    "partners/zone\(index).yaml",
                    """
                    partner: zone\(index)
                    match: { mid: [M\(index)] }
                    timezone: \(zone)
                    active: { until: 9999-12-31 }
                    budget: 1000000.00
                    limits:
                      - { per: account, period: week, max: 500.00 }
                      - { per: all, period: year, count: 100000 }
                    rules:
                    \(rules.joined(separator: "\n"))
                    """
                ))
            // The same partner without `active`, by name, so that year-10000 dates attribute too.
            files.append(
                (
                    "partners/zone\(index)-always.yaml",
                    """
                    partner: zone\(index)-always
                    match: { name: ["ZONE\(index)*"] }
                    timezone: \(zone)
                    stacking: best
                    limits:
                      - { per: account, period: day, max: 50.00 }
                    rules:
                    \(rules.joined(separator: "\n"))
                    """
                ))
        }
        return files.map { RuleSource(relativePath: $0.0, displayPath: "rules/" + $0.0, text: $0.1) }
    }

    /// Writes the files under `directory/rules`.
    public static func write(under directory: String) throws {
        for source in sources() {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(source.displayPath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(source.text.utf8).write(to: url)
        }
    }
}
