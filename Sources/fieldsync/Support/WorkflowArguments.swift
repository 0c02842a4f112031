import CRM
import FieldWork
import SyncCore

/// Typed values of the FieldWork library from what was typed on the command line; refusals
/// carry the schema's codes (`type_mismatch`), as a `field=value` edit of the same text would.
enum WorkflowArguments {
    /// `--at`: an ISO 8601 time with `Z` or an offset (`2026-11-20T09:30+08:00`).
    static func time(_ text: String?) throws -> FieldTime? {
        guard let text else { return nil }
        do throws(SyncCore.ValidationError) {
            return try FieldTime.parse(text)
        } catch {
            throw SyncCore.ValidationError(error.code, .optionRefusal, ["option": "--at", "reason": error.refusal])
        }
    }

    /// A day: YYYY-MM-DD, today, tomorrow or +Nd.
    static func day(_ text: String?) throws -> CalendarDay? {
        try text.map { text throws(SyncCore.ValidationError) in try Days.calendarDay(text) }
    }

    /// A decimal amount for `field`.
    static func amount(_ text: String?, field: String) throws -> Amount? {
        guard let text else { return nil }
        let value = try ValueType.decimal.parse(text, field: field)
        guard let canonical = value.stringValue, let amount = Amount(canonical) else {
            throw SyncCore.ValidationError(.typeMismatch, .decimalExpected, ["field": field, "text": text])
        }
        return amount
    }

    /// An opportunity stage as typed (letter case, hyphens and the import's words are
    /// forgiven, as `edit opportunity … stage=` forgives them).
    static func stage(_ text: String?, bench: Workbench) throws -> OpportunityStage? {
        guard let text else { return nil }
        let editor = bench.editor(try bench.entity("opportunity"), current: nil)
        let value = try editor.value(of: try editor.field("stage"), text)
        guard let name = value.stringValue, let stage = OpportunityStage(rawValue: name) else {
            throw SyncCore.ValidationError(.invalidValue, .notAStage, ["text": text, "stages": OpportunityStage.allCases.map(\.rawValue).joined(separator: ", ")])
        }
        return stage
    }
}
