/// The reports a device and the server compute, by the name people type
/// (`fieldsync report pipeline`, `GET /v1/reports/pipeline`).
public enum ReportName: String, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case pipeline, conversion, deals, visits, followups, churn, retention, complaints, satisfaction, abc, lifecycle, receivables

    public var description: String { rawValue }

    /// One line saying what the report shows, in `language`.
    public func summary(_ language: Language = .english) -> String {
        let (english, chinese) = summaryTexts
        return language == .chinese ? chinese : english
    }

    private var summaryTexts: (english: String, chinese: String) {
        switch self {
        case .pipeline: return ("opportunities by stage: count, amount, weighted amount (销售漏斗)", "销售漏斗：按阶段统计商机的数量、金额和加权金额")
        case .conversion: return ("leads → qualified → converted → won, and the win rate (转化率)", "转化率：线索 → 合格 → 已转化 → 赢单，以及赢单率")
        case .deals: return ("average deal size and sales cycle of won deals", "赢单的平均成交金额和销售周期")
        case .visits: return ("visits per rep per ISO week (拜访量)", "拜访量：每个销售代表每个 ISO 周的拜访次数")
        case .followups: return ("follow-ups overdue and due today (待跟进)", "待跟进：已逾期和今天到期的跟进")
        case .churn: return (
            "accounts with warning signals: no contact, falling orders, open complaints, NPS detractors, overdue receivables (流失预警)",
            "流失预警：有预警信号的客户——长期未联系、订单下降、投诉未关闭、NPS 贬损者、应收款逾期"
        )
        case .retention: return ("retention, churn and repeat-purchase rates (客户保留)", "客户保留：保留率、流失率和复购率")
        case .complaints: return ("response and resolution times by severity (投诉处理)", "投诉处理：按严重程度统计响应和解决时间")
        case .satisfaction: return ("CSAT average and NPS (满意度)", "满意度：CSAT 平均分和 NPS")
        case .abc: return ("ABC tiers by revenue share (客户分级)", "客户分级：按收入占比划分 ABC 等级")
        case .lifecycle: return ("suggested lifecycle stages (生命周期)", "生命周期：建议的生命周期阶段")
        case .receivables: return (
            "receivables per account by days past due (0–30, 31–60, 61–90, 90+) and the overdue invoices to collect (应收账款账龄)",
            "应收账款账龄：每个客户按逾期天数（0–30、31–60、61–90、90+）统计的应收账款，以及要催收的逾期发票"
        )
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
