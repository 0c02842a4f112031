/// The reports a device and the server compute, by the name people type
/// (`fieldsync report pipeline`, `GET /v1/reports/pipeline`).
public enum ReportName: String, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case pipeline, conversion, deals, visits, followups, churn, retention, complaints, satisfaction, abc, lifecycle, receivables

    public var description: String { rawValue }

    /// One line saying what the report shows.
    public var summary: String {
        switch self {
        case .pipeline: return "opportunities by stage: count, amount, weighted amount (销售漏斗)"
        case .conversion: return "leads → qualified → converted → won, and the win rate (转化率)"
        case .deals: return "average deal size and sales cycle of won deals"
        case .visits: return "visits per rep per ISO week (拜访量)"
        case .followups: return "follow-ups overdue and due today (待跟进)"
        case .churn: return "accounts with warning signals: no contact, falling orders, open complaints, NPS detractors, overdue receivables (流失预警)"
        case .retention: return "retention, churn and repeat-purchase rates (客户保留)"
        case .complaints: return "response and resolution times by severity (投诉处理)"
        case .satisfaction: return "CSAT average and NPS (满意度)"
        case .abc: return "ABC tiers by revenue share (客户分级)"
        case .lifecycle: return "suggested lifecycle stages (生命周期)"
        case .receivables: return "receivables per account by days past due (0–30, 31–60, 61–90, 90+) and the overdue invoices to collect (应收账款账龄)"
        }
    }

    /// The parameters this report reads besides the ones every report takes (`as_of`,
    /// `utc_offset`). Others are refused, so that a typo never silently changes nothing.
    public var specificParameters: [ReportParameters.Key] {
        switch self {
        case .pipeline: return [.owner, .currency]
        case .conversion, .deals: return [.period, .owner]
        case .visits: return [.period, .owner, .types]
        case .followups, .receivables: return [.owner]
        case .churn: return [.owner, .days]
        case .retention, .satisfaction: return [.period]
        case .complaints: return [.responseHours]
        case .abc: return [.period, .currency, .cutoffs, .rule]
        case .lifecycle: return [.churnedAfter, .loyalPurchases]
        }
    }

    /// Every parameter the report accepts.
    public var parameters: [ReportParameters.Key] {
        [.asOf, .utcOffset] + specificParameters
    }

    /// True for the reports that draw as a chart (a funnel or bars).
    public var hasChart: Bool { self == .pipeline || self == .conversion }
}
