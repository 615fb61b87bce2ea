/// Reads one rule file into the model, collecting every problem it finds as a diagnostic.
final class FileReader {
    let source: RuleSource
    let registry: PluginRegistry
    let partnerIDs: Set<String>
    private var diagnostics: [Diagnostic] = []

    /// The problems found, by line and column.
    var diagnosticsInFileOrder: [Diagnostic] {
        diagnostics.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }
        .map(\.element)
    }

    init(source: RuleSource, registry: PluginRegistry, partnerIDs: Set<String>) {
        self.source = source
        self.registry = registry
        self.partnerIDs = partnerIDs
    }

    static let programKeys = ["currency", "timezone", "rounding", "confirm_after", "limits", "rules"]
    static let partnerKeys = [
        "partner", "name", "match", "currency", "timezone", "active", "budget", "stacking", "limits", "rules",
    ]
    static let matchKeys = ["mid", "siret", "name", "countries", "channels"]
    static let ruleKeys = ["id", "when", "reward", "limits"]
    static let limitKeys = ["per", "period", "max", "count"]

    func report(_ error: ConfigError, context: String?, prefix: String = "") {
        let separator = error.path.hasPrefix("[") ? "" : "."
        let path = prefix.isEmpty ? error.path : (error.path.isEmpty ? prefix : prefix + separator + error.path)
        let message = path.isEmpty ? error.message : "\(path): \(error.message)"
        diagnostics.append(
            Diagnostic(file: source.displayPath, line: error.line, column: error.column, context: context, message: message))
    }

    /// Runs `read`, reporting its error (if any) and returning `nil` in that case.
    private func attempt<T>(context: String?, _ read: () throws(ConfigError) -> T) -> T? {
        do {
            return try read()
        } catch {
            report(error, context: context)
            return nil
        }
    }

    // MARK: program.yaml

    func program(_ root: ConfigNode) -> Program {
        let defaults = Program.defaults
        guard
            let top = attempt(
                context: "program",
                { () throws(ConfigError) in
                    try root.mapping(allowed: FileReader.programKeys) { self.report($0, context: "program") }
                })
        else { return defaults }
        let currency =
            top["currency"].flatMap { node in attempt(context: "program") { () throws(ConfigError) in try currencyValue(node) } }
            ?? defaults.currency
        let zone =
            top["timezone"].flatMap { node in attempt(context: "program") { () throws(ConfigError) in try zoneValue(node) } }
            ?? defaults.zone
        let rounding =
            top["rounding"].flatMap { node in
                attempt(context: "program") { () throws(ConfigError) in
                    try node.choice(RoundingMode.self, expected: "down | half-up | half-even")
                }
            } ?? defaults.rounding
        let confirmAfter =
            top["confirm_after"].flatMap { node in
                attempt(context: "program") { () throws(ConfigError) in try FileReader.duration(node) }
            } ?? 0
        let context = PluginContext(currency: currency, zone: zone, scope: .program, partnerIDs: partnerIDs)
        let limits = top["limits"].map { limitList($0, owner: "program", context: context, errorContext: "program") } ?? []
        let rules = top["rules"].map { ruleList($0, context: context) } ?? []
        return Program(
            currency: currency, zone: zone, rounding: rounding, confirmAfterSeconds: confirmAfter, limits: limits, rules: rules)
    }

    /// `30d`, `12h`, `90m` in seconds.
    static func duration(_ node: ConfigNode) throws(ConfigError) -> Int64 {
        let text = try node.string(expected: "a duration such as 30d, 12h or 90m")
        guard let unit = text.last, let seconds = ["d": Int64(86_400), "h": 3600, "m": 60][String(unit)],
            text.count > 1, text.dropLast().allSatisfy(\.isASCIIDigit), text.count <= 10,
            let value = Int64(text.dropLast())
        else { throw node.error("'\(Echo.clipped(text))' is not a duration (a whole number then d, h or m)") }
        return value * seconds
    }

    func currencyValue(_ node: ConfigNode) throws(ConfigError) -> Currency {
        let code = try node.string(expected: "an ISO 4217 currency code")
        guard let currency = Currency(code: code) else {
            throw node.error("'\(Echo.clipped(code))' is not a known ISO 4217 currency code")
        }
        return currency
    }

    func zoneValue(_ node: ConfigNode) throws(ConfigError) -> Zone {
        let identifier = try node.string(expected: "an IANA time zone such as Europe/Paris")
        guard let zone = Zone(identifier: identifier) else {
            throw node.error("'\(Echo.clipped(identifier))' is not a known time zone (an IANA name such as Europe/Paris)")
        }
        return zone
    }

    // MARK: partner files

    func partner(_ root: ConfigNode, program: Program) -> Partner? {
        var unknownKeys: [ConfigError] = []
        guard
            let top = attempt(
                context: nil,
                { () throws(ConfigError) in
                    try root.mapping(allowed: FileReader.partnerKeys) { unknownKeys.append($0) }
                })
        else { return nil }
        let id = attempt(context: nil, { () throws(ConfigError) in try partnerID(top) })
        for problem in unknownKeys { report(problem, context: id) }
        guard let id else { return nil }
        let name =
            top["name"].flatMap { node in attempt(context: id) { () throws(ConfigError) in try node.string(expected: "a name") } }
            ?? id

        var currency: Currency? = program.currency
        if let node = top["currency"] {
            currency =
                attempt(context: id) { () throws(ConfigError) -> Currency? in
                    if try node.string(expected: "an ISO 4217 code or any") == "any" { return nil }
                    return try currencyValue(node)
                } ?? program.currency
        }
        let zone =
            top["timezone"].flatMap { node in attempt(context: id) { () throws(ConfigError) in try zoneValue(node) } }
            ?? program.zone
        let context = PluginContext(currency: currency, zone: zone, scope: .partner(id), partnerIDs: partnerIDs)

        let match = attempt(context: id) { () throws(ConfigError) in try matchValue(top.required("match")) }
        var activeFrom: CivilDate?
        var activeUntil: CivilDate?
        if let node = top["active"] {
            _ = attempt(context: id) { () throws(ConfigError) in
                let active = try node.mapping(allowed: ["from", "until"])
                activeFrom = try active["from"]?.date()
                activeUntil = try active["until"]?.date()
                if let activeFrom, let activeUntil, activeUntil <= activeFrom {
                    throw (active.keyNode("until") ?? node).error("until must be after from")
                }
            }
        }
        let budget = top["budget"].flatMap { node in
            attempt(context: id) { () throws(ConfigError) -> Int in
                let amount = try node.money(currency)
                guard amount > 0 else { throw node.error("budget must be more than 0") }
                return amount
            }
        }
        let stacking =
            top["stacking"].flatMap { node in
                attempt(context: id) { () throws(ConfigError) in
                    try node.choice(Partner.Stacking.self, expected: "sum | best | first")
                }
            } ?? .sum
        var limits = top["limits"].map { limitList($0, owner: id, context: context, errorContext: id) } ?? []
        if let budget, let currency {
            limits.append(
                Limit(
                    id: "\(id)#budget", per: .all, period: .lifetime, max: budget, count: nil, zone: zone,
                    summary: "budget \(currency.format(budget))"))
        }
        var rules: [Rule] = []
        if let node = attempt(context: id, { () throws(ConfigError) in try top.required("rules") }) {
            rules = ruleList(node, context: context)
        }
        guard let match else { return nil }
        return Partner(
            id: id, name: name, file: source.displayPath, relativePath: source.relativePath, match: match, currency: currency,
            zone: zone,
            activeFrom: activeFrom, activeUntil: activeUntil, budget: budget, stacking: stacking, limits: limits, rules: rules)
    }

    func partnerID(_ top: ConfigMapping) throws(ConfigError) -> String {
        let node = try top.required("partner")
        let id = try node.string(expected: "a partner id")
        guard !id.isEmpty, id.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }) else {
            throw node.error("partner id '\(Echo.clipped(id))' must use only a-z, 0-9 and '-'")
        }
        guard id != "program" else { throw node.error("'program' is a reserved id") }
        return id
    }

    func matchValue(_ node: ConfigNode) throws(ConfigError) -> PartnerMatch {
        let match = try node.mapping(allowed: FileReader.matchKeys)
        func strings(_ key: String, check: (String) -> String?) throws(ConfigError) -> [String] {
            guard let list = match[key] else { return [] }
            var values: [String] = []
            for item in try list.list(allowingSingle: true) {
                let value = try item.string()
                if let problem = check(value) { throw item.error(problem) }
                values.append(value)
            }
            return values
        }
        let mids = try strings("mid") { (1...128).contains($0.unicodeScalars.count) ? nil : "a mid has 1-128 characters" }
        let sirets = try strings("siret") {
            $0.count == 14 && $0.allSatisfy(\.isASCIIDigit) ? nil : "siret '\(Echo.clipped($0))' must be 14 digits"
        }
        let names = try strings("name") { (1...128).contains($0.unicodeScalars.count) ? nil : "a name glob has 1-128 characters" }
        guard !(mids.isEmpty && sirets.isEmpty && names.isEmpty) else {
            throw node.error("match needs at least one of mid, siret, name")
        }
        let countries = try match["countries"].map { _ throws(ConfigError) in
            Set(
                try strings("countries") {
                    FileReader.isCountry($0) ? nil : "'\(Echo.clipped($0))' is not a country code (two upper-case letters)"
                })
        }
        let channels = try match["channels"].map { node throws(ConfigError) -> Set<Merchant.Channel> in
            var channels = Set<Merchant.Channel>()
            for item in try node.list(allowingSingle: true) {
                channels.insert(try item.choice(Merchant.Channel.self, expected: "online | in_store"))
            }
            return channels
        }
        return PartnerMatch(
            mids: mids, sirets: sirets, names: names.map(Glob.init), countries: countries, channels: channels,
            line: node.line, column: node.column)
    }

    static func isCountry(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { $0 >= 65 && $0 <= 90 }
    }

    // MARK: rules, limits, plugins

    func ruleList(_ node: ConfigNode, context: PluginContext) -> [Rule] {
        let owner = context.scope.description
        guard let items = attempt(context: owner, { () throws(ConfigError) in try node.list() }) else { return [] }
        var rules: [Rule] = []
        var seen: Set<String> = []
        for item in items {
            guard
                let fields = attempt(
                    context: owner,
                    { () throws(ConfigError) in try item.mapping(allowed: FileReader.ruleKeys) { self.report($0, context: owner) }
                    })
            else { continue }
            guard
                let id = attempt(
                    context: owner,
                    { () throws(ConfigError) -> String in
                        let idNode = try fields.required("id")
                        let id = try idNode.string(expected: "a rule id")
                        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
                        else {
                            throw idNode.error("rule id '\(Echo.clipped(id))' must use only letters, digits, '-', '_' and '.'")
                        }
                        guard !seen.contains(id) else {
                            throw idNode.error("rule id '\(Echo.clipped(id))' is used twice in this file")
                        }
                        return id
                    })
            else { continue }
            seen.insert(id)
            let name = "\(owner)/\(id)"
            var conditions: [Rule.Condition] = []
            if let when = fields["when"], let list = attempt(context: name, { () throws(ConfigError) in try when.list() }) {
                for condition in list {
                    if let configured = plugin(condition, context: context, ruleName: name, isReward: false),
                        let conditionPlugin = configured.condition
                    {
                        conditions.append(Rule.Condition(kind: configured.kind, plugin: conditionPlugin))
                    }
                }
            }
            let reward = attempt(context: name) { () throws(ConfigError) in try fields.required("reward") }
                .flatMap { plugin($0, context: context, ruleName: name, isReward: true) }
            let limits = fields["limits"].map { limitList($0, owner: name, context: context, errorContext: name) } ?? []
            if let reward, let rewardPlugin = reward.reward {
                rules.append(
                    Rule(
                        id: id, name: name, conditions: conditions, rewardKind: reward.kind, reward: rewardPlugin,
                        limits: limits))
            }
        }
        return rules
    }

    private struct ConfiguredPlugin {
        let kind: String
        var condition: (any ConditionPlugin)?
        var reward: (any RewardPlugin)?
    }

    private func plugin(_ node: ConfigNode, context: PluginContext, ruleName: String, isReward: Bool)
        -> ConfiguredPlugin?
    {
        guard let (kind, keyNode, value) = attempt(context: ruleName, { () throws(ConfigError) in try node.singleKeyMapping() })
        else { return nil }
        let role = isReward ? "reward" : "condition"
        let known = isReward ? registry.rewards.keys.sorted() : registry.conditions.keys.sorted()
        let conditionType = isReward ? nil : registry.conditions[kind]
        let rewardType = isReward ? registry.rewards[kind] : nil
        guard conditionType != nil || rewardType != nil else {
            let other = isReward ? registry.conditions[kind] != nil : registry.rewards[kind] != nil
            let message: String
            if other {
                message =
                    "'\(Echo.clipped(kind))' is a \(isReward ? "condition" : "reward"), not a \(role); "
                    + "\(role) kinds: \(known.joined(separator: ", "))"
            } else {
                let hint = Suggestion.nearest(to: kind, in: known).map { "; did you mean '\($0)'?" } ?? ""
                message = "unknown \(role) kind '\(Echo.clipped(kind))'\(hint) (known: \(known.joined(separator: ", ")))"
            }
            report(keyNode.error(message), context: ruleName)
            return nil
        }
        do {
            if let conditionType {
                return ConfiguredPlugin(kind: kind, condition: try conditionType.init(configuration: value, context: context))
            }
            if let rewardType {
                return ConfiguredPlugin(kind: kind, reward: try rewardType.init(configuration: value, context: context))
            }
            return nil
        } catch {
            report(error, context: ruleName, prefix: kind)
            return nil
        }
    }

    func limitList(_ node: ConfigNode, owner: String, context: PluginContext, errorContext: String) -> [Limit] {
        guard let items = attempt(context: errorContext, { () throws(ConfigError) in try node.list() }) else { return [] }
        var limits: [Limit] = []
        for (position, item) in items.enumerated() {
            if let limit = attempt(
                context: errorContext,
                { () throws(ConfigError) in
                    try limitValue(item, id: "\(owner)#limit\(position + 1)", context: context)
                })
            {
                limits.append(limit)
            }
        }
        return limits
    }

    func limitValue(_ node: ConfigNode, id: String, context: PluginContext) throws(ConfigError) -> Limit {
        let fields = try node.mapping(allowed: FileReader.limitKeys)
        let per = try fields.required("per").choice(Limit.Per.self, expected: "account | all | payment")
        let period = try fields["period"]?.choice(Period.self, expected: "day | week | month | year | lifetime")
        let max = try fields["max"].map { node throws(ConfigError) -> Int in
            let amount = try node.money(context.currency)
            return amount
        }
        let count = try fields["count"].map { node throws(ConfigError) -> Int in
            let value = try node.count()
            guard value > 0 else { throw node.error("count must be at least 1") }
            return value
        }
        if per == .payment {
            if let node = fields["period"] { throw node.error("a per: payment limit takes no period") }
            if let node = fields["count"] { throw node.error("a per: payment limit takes no count") }
        } else if period == nil {
            throw fields.node.error("a per: \(per.rawValue) limit needs a period (day, week, month, year or lifetime)")
        }
        guard max != nil || count != nil else { throw fields.node.error("a limit needs max, count or both") }
        var summary = "payment"
        if per != .payment, let period { summary = "\(per.rawValue)/\(period.rawValue)" }
        if let max, let currency = context.currency { summary += " max \(currency.format(max))" }
        if let count { summary += " count \(count)" }
        return Limit(id: id, per: per, period: period, max: max, count: count, zone: context.zone, summary: summary)
    }
}
