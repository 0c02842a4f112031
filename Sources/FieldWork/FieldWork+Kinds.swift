import CRM

/// A value of one of the schema's enumerations (an activity type, a ticket category or
/// severity), open rather than a closed enum: it is checked by the schema when the edit is
/// written, so the spellings the schema and the CSV import understand (`Service-Request`,
/// `展会`) are taken as the CLI takes them; each type's constants name the canonical values.
public protocol SchemaTerm: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral where RawValue == String {
    init(rawValue: String)
}

extension SchemaTerm {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
}

/// The kind of an activity: `visit`, `call`, `email`, `meeting`.
public struct ActivityType: SchemaTerm {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let visit: ActivityType = "visit"
    public static let call: ActivityType = "call"
    public static let email: ActivityType = "email"
    public static let meeting: ActivityType = "meeting"
}

/// What a ticket is about: `complaint`, `service_request` or `inquiry`.
public struct TicketCategory: SchemaTerm {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let complaint: TicketCategory = "complaint"
    public static let serviceRequest: TicketCategory = "service_request"
    public static let inquiry: TicketCategory = "inquiry"
}

/// How urgent a ticket is: `low`, `medium`, `high` or `critical`.
public struct TicketSeverity: SchemaTerm {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let low: TicketSeverity = "low"
    public static let medium: TicketSeverity = "medium"
    public static let high: TicketSeverity = "high"
    public static let critical: TicketSeverity = "critical"
}

/// The scale of a satisfaction survey: CSAT scores 1–5, NPS 0–10.
public enum SurveyKind: String, CaseIterable, Sendable {
    case csat, nps

    /// The scores the scale takes.
    public var scores: ClosedRange<Int64> {
        switch self {
        case .csat: return CRMRules.csatScores
        case .nps: return CRMRules.npsScores
        }
    }
}
