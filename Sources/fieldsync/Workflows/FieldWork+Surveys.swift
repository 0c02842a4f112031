import CRM
import SyncCore
import SyncStore

extension FieldWork {
    /// A satisfaction survey answer as the rep records it.
    struct SurveyAnswer {
        var account: String
        var contact: String?
        var kind: String
        var score: Int64
        var comment: String?
        var channel: String?
        var answeredAt: String?
    }

    /// A new survey answer (满意度调查) on an account; the CRM rules check the score against
    /// its scale (CSAT 1–5, NPS 0–10).
    func recordSurvey(_ answer: SurveyAnswer) throws -> LocalEdit {
        let surveySchema = try bench.entity("survey")
        let account = try bench.liveRecord(try bench.entity("account"), answer.account)
        var assignments = [
            FieldAssignment(field: "account", text: account.id),
            FieldAssignment(field: "kind", text: answer.kind),
            FieldAssignment(field: "score", text: String(answer.score)),
            FieldAssignment(field: "answered_at", text: answer.answeredAt ?? Days.nowTimestamp()),
        ]
        if let contactText = answer.contact {
            let contact = try bench.liveRecord(try bench.entity("contact"), contactText)
            guard contact.value("account") == .string(account.id) else {
                throw SyncCore.ValidationError(.invalidValue, "contact \(RecordLabel.of(contact, schema: bench.schema)) (\(contact.id.prefix(8))) belongs to another account")
            }
            assignments.append(FieldAssignment(field: "contact", text: contact.id))
        }
        if let comment = answer.comment { assignments.append(FieldAssignment(field: "comment", text: comment)) }
        if let channel = answer.channel { assignments.append(FieldAssignment(field: "channel", text: channel)) }
        return .create(surveySchema.name, try bench.editor(surveySchema, current: nil).operations(assigning: assignments))
    }
}
