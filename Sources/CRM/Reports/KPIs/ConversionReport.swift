/// Conversion along the sales chain: leads → qualified → converted, and opportunities won
/// against lost (转化率, 赢单率).
///
/// Definitions (rates are fractions from 0 to 1, nil when the denominator is zero):
/// - a lead is *qualified* when its status is `qualified` or `converted` (a converted lead
///   passed qualification), *converted* when its status is `converted`;
/// - qualification rate = qualified leads / all leads;
/// - lead conversion rate = converted leads / all leads;
/// - qualified-to-converted rate = converted leads / qualified leads;
/// - lead-to-won rate = converted leads whose `converted_opportunity` is won / all leads;
/// - win rate = won opportunities / (won + lost opportunities); open deals do not count.
///
/// With a period, leads count when `created_on` falls in it and opportunities when
/// `closed_on` does (records without that day are left out).
///
/// With `asOf`, the funnel is the one of that day: leads created by then with the status they
/// had then, and opportunities at the stage they had then (`CRMDataSet.leads(asOf:…)`,
/// `CRMDataSet.opportunities(asOf:…)`, from the history the store keeps).
public struct ConversionReport: TabularReport, Hashable, Codable {
    /// What the report covers and the targets it is held against.
    public struct Options: Hashable, Sendable, Codable {
        public var period: ReportPeriod?
        /// Only this rep's leads and opportunities; nil for all.
        public var owner: String?
        /// A target for the win rate; nil for none.
        public var winRateTarget: KPITarget?
        /// A target for the lead conversion rate; nil for none.
        public var leadConversionTarget: KPITarget?
        /// The day the funnel stands as of; nil: as the records are now.
        public var asOf: CalendarDay?
        /// The report calendar's offset from UTC, which decides the day a change was written.
        public var utcOffsetMinutes: Int

        public init(
            period: ReportPeriod? = nil, owner: String? = nil, winRateTarget: KPITarget? = nil, leadConversionTarget: KPITarget? = nil,
            asOf: CalendarDay? = nil, utcOffsetMinutes: Int = ReportCatalog.defaultUTCOffsetMinutes
        ) {
            self.period = period
            self.owner = owner
            self.winRateTarget = winRateTarget
            self.leadConversionTarget = leadConversionTarget
            self.asOf = asOf
            self.utcOffsetMinutes = utcOffsetMinutes
        }
    }

    /// The lead funnel of one group of leads (all, one source, one campaign).
    public struct LeadFunnel: Hashable, Sendable, Codable {
        /// The group: "all", a source name, or a campaign name.
        public var group: String
        public var leads: Int
        public var qualified: Int
        public var converted: Int
        public var disqualified: Int
        /// Converted leads whose opportunity is won.
        public var won: Int
        public var qualificationRate: KPI
        public var conversionRate: KPI
        public var qualifiedToConvertedRate: KPI
        public var leadToWonRate: KPI

        init(group: String, leads: [CRMDataSet.Lead], wonOpportunities: Set<String>, conversionTarget: KPITarget? = nil) {
            self.group = group
            self.leads = leads.count
            qualified = leads.filter(\.isQualified).count
            converted = leads.filter { $0.status == "converted" }.count
            disqualified = leads.filter { $0.status == "disqualified" }.count
            won = leads.filter { lead in
                lead.status == "converted" && lead.convertedOpportunity.map(wonOpportunities.contains) == true
            }.count
            qualificationRate = .rate(qualified, of: self.leads)
            conversionRate = .rate(converted, of: self.leads, target: conversionTarget)
            qualifiedToConvertedRate = .rate(converted, of: qualified)
            leadToWonRate = .rate(won, of: self.leads)
        }
    }

    public var options: Options
    /// Every lead in scope.
    public var leads: LeadFunnel
    /// Per lead source, sorted by source; leads without one are under "(none)".
    public var bySource: [LeadFunnel]
    /// Per campaign (by campaign name), sorted by name; leads from no campaign are left out.
    public var byCampaign: [LeadFunnel]
    public var won: Int
    public var lost: Int
    /// Opportunities still in an open stage.
    public var open: Int
    public var winRate: KPI
    /// Leads and opportunities read that have unsynced local edits.
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options = Options()) {
        self.options = options
        func inPeriod(_ day: CalendarDay?) -> Bool {
            guard let period = options.period else { return true }
            return day.map(period.contains) ?? false
        }
        var allOpportunities = dataSet.opportunities
        var allLeads = dataSet.leads
        if let asOf = options.asOf {
            allOpportunities = dataSet.opportunities(asOf: asOf, utcOffsetMinutes: options.utcOffsetMinutes).standing.map(\.opportunity)
            allLeads = dataSet.leads(asOf: asOf, utcOffsetMinutes: options.utcOffsetMinutes)
        }
        let allWon = Set(allOpportunities.filter { $0.stage == .won }.map(\.id))
        let leads = allLeads.filter { (options.owner == nil || $0.owner == options.owner) && inPeriod($0.createdOn) }
        self.leads = LeadFunnel(group: "all", leads: leads, wonOpportunities: allWon, conversionTarget: options.leadConversionTarget)
        bySource = Dictionary(grouping: leads) { $0.source ?? "(none)" }
            .sorted { $0.key < $1.key }
            .map { LeadFunnel(group: $0.key, leads: $0.value, wonOpportunities: allWon) }
        let campaignNames = Dictionary(dataSet.campaigns.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        byCampaign = Dictionary(grouping: leads.filter { $0.campaign != nil }) { lead in
            lead.campaign.map { campaignNames[$0] ?? $0 } ?? ""
        }
        .sorted { $0.key < $1.key }
        .map { LeadFunnel(group: $0.key, leads: $0.value, wonOpportunities: allWon) }

        let opportunities = allOpportunities.filter { options.owner == nil || $0.owner == options.owner }
        let closed = opportunities.filter { $0.stage?.isClosed == true && inPeriod($0.closedOn) }
        won = closed.filter { $0.stage == .won }.count
        lost = closed.filter { $0.stage == .lost }.count
        open = opportunities.filter { $0.stage?.isOpen == true }.count
        winRate = .rate(won, of: won + lost, target: options.winRateTarget)
        unsyncedLocalEdits = leads.filter(\.isUnsynced).count + opportunities.filter(\.isUnsynced).count
    }

    public var table: ReportTable {
        func funnelRow(_ kind: String, _ funnel: LeadFunnel) -> [String] {
            [kind, funnel.group, String(funnel.leads), String(funnel.qualified), String(funnel.converted),
             ReportFormat.percent(funnel.qualificationRate.value), ReportFormat.percent(funnel.conversionRate.value),
             ReportFormat.percent(funnel.leadToWonRate.value)]
        }
        var notes = [
            "opportunities: \(won) won, \(lost) lost, \(open) open; win rate won/(won+lost) = \(ReportFormat.percent(winRate.value))"
                + (winRate.target == nil ? "" : " (\(ReportFormat.target(winRate)))"),
            "qualified = status qualified or converted; rates are of all leads in the row",
        ]
        if leads.conversionRate.target != nil { notes.append("lead conversion \(ReportFormat.target(leads.conversionRate))") }
        notes += ReportFormat.unsyncedNote(unsyncedLocalEdits)
        return ReportTable(
            title: "Conversion" + (options.asOf.map { " as of \($0)" } ?? "") + ": leads → qualified → converted → won",
            headers: ["by", "group", "leads", "qualified", "converted", "qualified %", "converted %", "won %"],
            alignments: [.left, .left, .right, .right, .right, .right, .right, .right],
            rows: [funnelRow("all", leads)] + bySource.map { funnelRow("source", $0) } + byCampaign.map { funnelRow("campaign", $0) },
            notes: notes
        )
    }

    /// The lead funnel as a chart: leads, qualified, converted, won.
    public func chart(style: BarChart.Style = .funnel) -> BarChart {
        let steps = [("leads", leads.leads), ("qualified", leads.qualified), ("converted", leads.converted), ("won", leads.won)]
        return BarChart(
            title: "Lead funnel",
            bars: steps.map { BarChart.Bar(label: $0.0, value: Amount($0.1), valueLabel: String($0.1)) },
            style: style
        )
    }
}
