/// One computed report of any kind: what `ReportCatalog` returns and what a report document
/// carries, so the CLI renders a device report and a report fetched from the server the same
/// way.
public enum ReportResult: Hashable, Sendable {
    case pipeline(PipelineReport)
    case conversion(ConversionReport)
    case deals(DealReport)
    case visits(VisitReport)
    case followups(FollowUpReport)
    case churn(ChurnRiskReport)
    case retention(RetentionReport)
    case complaints(ComplaintHandlingReport)
    case satisfaction(SatisfactionReport)
    case abc(ABCClassification)
    case lifecycle(LifecycleReport)
    case receivables(ReceivablesReport)

    public var name: ReportName {
        switch self {
        case .pipeline: return .pipeline
        case .conversion: return .conversion
        case .deals: return .deals
        case .visits: return .visits
        case .followups: return .followups
        case .churn: return .churn
        case .retention: return .retention
        case .complaints: return .complaints
        case .satisfaction: return .satisfaction
        case .abc: return .abc
        case .lifecycle: return .lifecycle
        case .receivables: return .receivables
        }
    }

    /// The report itself.
    public var report: any TabularReport & Codable {
        switch self {
        case .pipeline(let report): return report
        case .conversion(let report): return report
        case .deals(let report): return report
        case .visits(let report): return report
        case .followups(let report): return report
        case .churn(let report): return report
        case .retention(let report): return report
        case .complaints(let report): return report
        case .satisfaction(let report): return report
        case .abc(let report): return report
        case .lifecycle(let report): return report
        case .receivables(let report): return report
        }
    }

    /// The records read that have unsynced local edits (0 on the server).
    public var unsyncedLocalEdits: Int {
        switch self {
        case .pipeline(let report): return report.unsyncedLocalEdits
        case .conversion(let report): return report.unsyncedLocalEdits
        case .deals(let report): return report.unsyncedLocalEdits
        case .visits(let report): return report.unsyncedLocalEdits
        case .followups(let report): return report.unsyncedLocalEdits
        case .churn(let report): return report.unsyncedLocalEdits
        case .retention(let report): return report.unsyncedLocalEdits
        case .complaints(let report): return report.unsyncedLocalEdits
        case .satisfaction(let report): return report.unsyncedLocalEdits
        case .abc(let report): return report.unsyncedLocalEdits
        case .lifecycle(let report): return report.unsyncedLocalEdits
        case .receivables(let report): return report.unsyncedLocalEdits
        }
    }

    /// Every table, the main one first.
    public var tables: [ReportTable] { report.tables }

    /// The tables as text for a terminal, in `language`.
    public func text(_ language: Language = .english) -> String { report.text(language) }

    /// The table a spreadsheet wants: the main table, or for visits one row per rep and week.
    public var csvTable: ReportTable {
        if case .visits(let report) = self { return report.weeklyTable }
        return report.table
    }

    /// The report as an RFC 4180 CSV document.
    public func csv() -> String { csvTable.csv() }

    /// The report as a chart, for the reports that have one (pipeline: the stages of one
    /// currency; conversion: the lead funnel); nil for the others.
    public func chart(measure: PipelineReport.ChartMeasure = .amount, style: BarChart.Style = .funnel, currency: String? = nil) -> BarChart? {
        switch self {
        case .pipeline(let report): return report.chart(currency: currency, measure: measure, style: style)
        case .conversion(let report): return report.chart(style: style)
        default: return nil
        }
    }
}

extension ReportResult {
    /// Decodes the report of kind `name` from `decoder`.
    public init(name: ReportName, from decoder: Decoder) throws {
        switch name {
        case .pipeline: self = .pipeline(try PipelineReport(from: decoder))
        case .conversion: self = .conversion(try ConversionReport(from: decoder))
        case .deals: self = .deals(try DealReport(from: decoder))
        case .visits: self = .visits(try VisitReport(from: decoder))
        case .followups: self = .followups(try FollowUpReport(from: decoder))
        case .churn: self = .churn(try ChurnRiskReport(from: decoder))
        case .retention: self = .retention(try RetentionReport(from: decoder))
        case .complaints: self = .complaints(try ComplaintHandlingReport(from: decoder))
        case .satisfaction: self = .satisfaction(try SatisfactionReport(from: decoder))
        case .abc: self = .abc(try ABCClassification(from: decoder))
        case .lifecycle: self = .lifecycle(try LifecycleReport(from: decoder))
        case .receivables: self = .receivables(try ReceivablesReport(from: decoder))
        }
    }

    /// Encodes the report itself (without a wrapper).
    public func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
    }
}
