import SyncCore

/// The status of an order (订单状态).
///
/// Orders run draft → submitted → confirmed → delivered; an order not yet delivered may be
/// cancelled. Delivered and cancelled are final. Each move after submitted stamps its day
/// (`confirmed_on`, `delivered_on`, `cancelled_on`), and the device's rules and the server
/// refuse any other move with `invalid_transition`.
public enum OrderStatus: String, StatusMachine, Codable, CustomStringConvertible {
    case draft, submitted, confirmed, delivered, cancelled

    public static let subject = "order"
    public var description: String { rawValue }

    public var allowedNextStatuses: [OrderStatus] {
        switch self {
        case .draft: return [.submitted, .cancelled]
        case .submitted: return [.confirmed, .cancelled]
        case .confirmed: return [.delivered, .cancelled]
        case .delivered, .cancelled: return []
        }
    }

    public var dayField: String? {
        switch self {
        case .draft, .submitted: return nil
        case .confirmed: return "confirmed_on"
        case .delivered: return "delivered_on"
        case .cancelled: return "cancelled_on"
        }
    }

    /// True for the orders that count as sales: confirmed or delivered (a submitted order is
    /// awaiting confirmation; draft and cancelled ones are not revenue).
    public var isRevenue: Bool { self == .confirmed || self == .delivered }
}
