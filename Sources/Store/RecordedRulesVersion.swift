import Engine

/// A rules version a store recorded, and when it first came into force there.
package struct RecordedRulesVersion: Sendable, Equatable {
    package let version: String
    package let recordedAt: Timestamp

    package init(version: String, recordedAt: Timestamp) {
        self.version = version
        self.recordedAt = recordedAt
    }
}
