import CRM
import SyncCore
import SyncStore

extension FieldWork {
    /// A satisfaction survey answer as the rep records it.
    public struct SurveyAnswer: Sendable {
        /// The account: an id, a unique prefix or its name.
        public var account: String
        /// The contact who answered (must belong to the account).
        public var contact: String?
        public var kind: SurveyKind
        public var score: Int64
        public var comment: String?
        /// questionnaire, phone, online or visit.
        public var channel: String?
        /// When it was answered (default: now).
        public var answeredAt: FieldTime?

        public init(
            account: String, contact: String? = nil, kind: SurveyKind, score: Int64, comment: String? = nil, channel: String? = nil,
            answeredAt: FieldTime? = nil
        ) {
            self.account = account
            self.contact = contact
            self.kind = kind
            self.score = score
            self.comment = comment
            self.channel = channel
            self.answeredAt = answeredAt
        }
    }

    /// A new survey answer (满意度调查) on an account; the CRM rules check the score against
    /// its scale (CSAT 1–5, NPS 0–10).
    public func recordSurvey(_ answer: SurveyAnswer) throws -> AppliedEdit {
        let surveySchema = try bench.entity("survey")
        let account = try bench.liveRecord(try bench.entity("account"), answer.account)
        var assignments = [
            FieldAssignment(field: "account", text: account.id),
            FieldAssignment(field: "kind", text: answer.kind.rawValue),
            FieldAssignment(field: "score", text: String(answer.score)),
            FieldAssignment(field: "answered_at", text: (answer.answeredAt ?? .now()).timestamp),
        ]
        if let contactText = answer.contact {
            assignments.append(FieldAssignment(field: "contact", text: try contact(contactText, of: account).id))
        }
        if let comment = answer.comment { assignments.append(FieldAssignment(field: "comment", text: comment)) }
        if let channel = answer.channel { assignments.append(FieldAssignment(field: "channel", text: channel)) }
        return try bench.apply(.create(surveySchema.name, try bench.editor(surveySchema, current: nil).operations(assigning: assignments)))
    }
}
