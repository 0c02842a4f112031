/// When an invoice is due (付款条件): on receipt, or net N days after the invoice day.
///
/// An account may carry its own terms (`account.payment_terms`); an invoice keeps the terms it
/// was issued with and its `due_on` day, so changing the account's terms later does not move
/// the due day of invoices already sent.
public enum PaymentTerms: String, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case dueOnReceipt = "due_on_receipt"
    case net15 = "net_15"
    case net30 = "net_30"
    case net45 = "net_45"
    case net60 = "net_60"
    case net90 = "net_90"

    /// The terms of an invoice when neither the request nor the account names any.
    public static let standard = PaymentTerms.net30

    public var description: String { rawValue }

    /// Days from the invoice day to the due day.
    public var days: Int {
        switch self {
        case .dueOnReceipt: return 0
        case .net15: return 15
        case .net30: return 30
        case .net45: return 45
        case .net60: return 60
        case .net90: return 90
        }
    }

    /// The day an invoice issued on `issued` is due.
    public func dueDay(issuedOn issued: CalendarDay) -> CalendarDay {
        issued.adding(days: days)
    }
}
