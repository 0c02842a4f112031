/// The sales funnel (销售漏斗): opportunities by stage with their count, amount and weighted
/// amount, per currency.
///
/// Definitions:
/// - amount: the sum of `amount` of the stage's opportunities (an opportunity without an
///   amount counts in `count` and in `withoutAmount`, not in the sums);
/// - weighted amount: Σ amount × probability / 100, where probability is the opportunity's own
///   `probability`, or its stage's in the company's table when unset (`StageProbabilities`:
///   by default qualification 10, needs_analysis 25, proposal 50, negotiation 75, won 100, lost 0);
/// - an opportunity without a currency counts in `defaultCurrency`;
/// - with `currency` set, only that currency is reported; opportunities in another currency
///   are converted with `exchangeRates` when a rate is given and left out (counted in
///   `excludedCount`) otherwise.
///
/// The forecast (成交预测) puts the open pipeline (qualification through negotiation) by the month
/// of each opportunity's `expected_close`: "overdue" when that day is before `asOf` (the close
/// date has passed and the deal is still open), "unscheduled" without one.
///
/// With `asOf`, the pipeline is the one of that day: each deal with the stage, amount,
/// probability and expected close it had at the end of that day, from the history the store
/// keeps (see `CRMDataSet.opportunities(asOf:utcOffsetMinutes:)`); deals created later are left
/// out, and deals then open at a stage the history cannot tell are counted in
/// `stageUnknownCount`. The stage ageing (`StageAgeing`) counts the open deals' days in stage.
///
/// All sums are exact decimals.
public struct PipelineReport: TabularReport, Hashable, Codable {
    /// What the report covers.
    public struct Options: Hashable, Sendable, Codable {
        /// Report only this currency (converting others with `exchangeRates`); nil reports
        /// every currency separately.
        public var currency: String?
        /// Units of `currency` per unit of another currency: `["USD": 7.1]` turns 100 USD into
        /// 710 of `currency`.
        public var exchangeRates: [String: Amount]
        /// The currency of opportunities that name none.
        public var defaultCurrency: String
        /// Only this rep's opportunities; nil for all.
        public var owner: String?
        /// The day the pipeline stands as of (nil: as the records are now); the forecast counts
        /// from it: open deals expected to close before it are overdue.
        public var asOf: CalendarDay?
        /// The report calendar's offset from UTC, which decides the day a change was written.
        public var utcOffsetMinutes: Int

        public init(
            currency: String? = nil, exchangeRates: [String: Amount] = [:], defaultCurrency: String = "CNY", owner: String? = nil,
            asOf: CalendarDay? = nil, utcOffsetMinutes: Int = ReportCatalog.defaultUTCOffsetMinutes
        ) {
            self.currency = currency
            self.exchangeRates = exchangeRates
            self.defaultCurrency = defaultCurrency
            self.owner = owner
            self.asOf = asOf
            self.utcOffsetMinutes = utcOffsetMinutes
        }
    }

    /// One stage in one currency.
    public struct Row: Hashable, Sendable, Codable {
        public var currency: String
        public var stage: OpportunityStage
        public var count: Int
        public var amount: Amount
        public var weightedAmount: Amount
        /// Opportunities of this stage without an amount.
        public var withoutAmount: Int
    }

    /// The open pipeline (qualification through negotiation) of one currency.
    public struct Total: Hashable, Sendable, Codable {
        public var currency: String
        public var openCount: Int
        public var openAmount: Amount
        public var openWeightedAmount: Amount
    }

    /// The open pipeline of one currency expected to close in one month.
    public struct ForecastRow: Hashable, Sendable, Codable {
        /// `YYYY-MM`, "overdue" or "unscheduled".
        public var month: String
        public var currency: String
        public var count: Int
        public var amount: Amount
        public var weightedAmount: Amount
    }

    public var options: Options
    /// Every stage of every reported currency, currencies sorted, stages in pipeline order.
    public var rows: [Row]
    /// Overdue first, then the months in order, then unscheduled; currencies sorted within.
    public var forecast: [ForecastRow]
    public var totals: [Total]
    /// Opportunities left out: another currency without a rate, or a stage this build does
    /// not know.
    public var excludedCount: Int
    /// Opportunities read that have unsynced local edits.
    public var unsyncedLocalEdits: Int
    /// Opportunities that existed on `asOf` at a stage the history cannot tell (closed later,
    /// known only from a snapshot or an import); left out of the rows.
    public var stageUnknownCount: Int
    /// The open deals' days in their stage; nil without `asOf`.
    public var ageing: StageAgeing?

    public init(_ dataSet: CRMDataSet, options: Options = Options()) {
        self.options = options
        var buckets: [String: [OpportunityStage: Row]] = [:]
        var months: [String: [String: ForecastRow]] = [:]
        var excluded = 0
        var unsynced = 0
        var standing = dataSet.opportunities.map { CRMDataSet.StandingOpportunity(opportunity: $0, inStageSince: nil) }
        stageUnknownCount = 0
        if let asOf = options.asOf {
            (standing, stageUnknownCount) = dataSet.opportunities(asOf: asOf, utcOffsetMinutes: options.utcOffsetMinutes)
        }
        standing = standing.filter { options.owner == nil || $0.opportunity.owner == options.owner }
        ageing = options.asOf.map { asOf in
            StageAgeing(standing.compactMap { deal in deal.opportunity.stage.map { ($0, deal.inStageSince) } }, asOf: asOf)
        }
        for opportunity in standing.map(\.opportunity) {
            guard let stage = opportunity.stage else {
                excluded += 1
                continue
            }
            var currency = opportunity.currency ?? options.defaultCurrency
            var amount = opportunity.amount
            if let target = options.currency, currency != target {
                guard let rate = options.exchangeRates[currency] else {
                    excluded += 1
                    continue
                }
                amount = amount.map { $0 * rate }
                currency = target
            }
            if opportunity.isUnsynced { unsynced += 1 }
            var row = buckets[currency]?[stage]
                ?? Row(currency: currency, stage: stage, count: 0, amount: .zero, weightedAmount: .zero, withoutAmount: 0)
            row.count += 1
            if let amount {
                row.amount += amount
                row.weightedAmount += amount.applying(percent: opportunity.effectiveProbability)
            } else {
                row.withoutAmount += 1
            }
            buckets[currency, default: [:]][stage] = row
            guard stage.isOpen else { continue }
            let month: String
            if let close = opportunity.expectedClose {
                month = options.asOf.map { close < $0 } == true ? "overdue" : String(close.description.prefix(7))
            } else {
                month = "unscheduled"
            }
            var forecast = months[month]?[currency] ?? ForecastRow(month: month, currency: currency, count: 0, amount: .zero, weightedAmount: .zero)
            forecast.count += 1
            if let amount {
                forecast.amount += amount
                forecast.weightedAmount += amount.applying(percent: opportunity.effectiveProbability)
            }
            months[month, default: [:]][currency] = forecast
        }
        let order = { (month: String) in month == "overdue" ? "" : month == "unscheduled" ? "~" : month }
        forecast = months.keys.sorted { order($0) < order($1) }.flatMap { month in
            months[month, default: [:]].values.sorted { $0.currency < $1.currency }
        }
        var currencies = buckets.keys.sorted()
        if let target = options.currency { currencies = [target] }
        let rows = currencies.flatMap { currency in
            OpportunityStage.allCases.map { stage in
                buckets[currency]?[stage]
                    ?? Row(currency: currency, stage: stage, count: 0, amount: .zero, weightedAmount: .zero, withoutAmount: 0)
            }
        }
        self.rows = rows
        totals = currencies.map { currency in
            let open = rows.filter { $0.currency == currency && $0.stage.isOpen }
            return Total(
                currency: currency, openCount: open.map(\.count).reduce(0, +),
                openAmount: open.map(\.amount).sum(), openWeightedAmount: open.map(\.weightedAmount).sum()
            )
        }
        excludedCount = excluded
        unsyncedLocalEdits = unsynced
    }

    /// The row of one stage in one currency.
    public func row(_ stage: OpportunityStage, currency: String) -> Row? {
        rows.first { $0.stage == stage && $0.currency == currency }
    }

    public var table: ReportTable {
        var tableRows = rows.map { row in
            [row.currency, row.stage.rawValue, String(row.count), ReportFormat.amount(row.amount), ReportFormat.amount(row.weightedAmount)]
        }
        tableRows += totals.map { total in
            [total.currency, "open pipeline", String(total.openCount), ReportFormat.amount(total.openAmount), ReportFormat.amount(total.openWeightedAmount)]
        }
        var notes = ["weighted amount = amount × probability / 100 (stage default when unset)"]
        if excludedCount > 0 { notes.append("\(excludedCount) opportunities left out (other currency without a rate, or unknown stage)") }
        if stageUnknownCount > 0 { notes.append("\(stageUnknownCount) opportunities left out: their stage on \(options.asOf?.description ?? "") is not in the history") }
        notes += ReportFormat.unsyncedNote(unsyncedLocalEdits)
        return ReportTable(
            title: "Pipeline by stage" + (options.asOf.map { " as of \($0)" } ?? "") + (options.owner.map { " — \($0)" } ?? ""),
            headers: ["currency", "stage", "count", "amount", "weighted amount"],
            alignments: [.left, .left, .right, .amount, .amount],
            rows: tableRows, notes: notes
        )
    }

    /// The open pipeline by expected close month.
    public var forecastTable: ReportTable {
        ReportTable(
            title: "Forecast by expected close month" + (options.asOf.map { " (overdue: expected before \($0))" } ?? ""),
            headers: ["month", "currency", "count", "amount", "weighted amount"],
            alignments: [.left, .left, .right, .amount, .amount],
            rows: forecast.map { [$0.month, $0.currency, String($0.count), ReportFormat.amount($0.amount), ReportFormat.amount($0.weightedAmount)] }
        )
    }

    public var tables: [ReportTable] { [table, forecastTable] + (ageing.map { [$0.table] } ?? []) }

    /// What a pipeline chart measures.
    public enum ChartMeasure: String, Hashable, Sendable, Codable, CaseIterable {
        case count, amount, weightedAmount = "weighted_amount"
    }

    /// A chart of one currency's stages (the first reported currency by default): the open
    /// stages and won, as a funnel or as bars.
    public func chart(
        currency: String? = nil,
        measure: ChartMeasure = .amount,
        style: BarChart.Style = .funnel,
        stages: [OpportunityStage] = OpportunityStage.openStages + [.won]
    ) -> BarChart {
        let chosen = currency ?? totals.first?.currency ?? options.currency ?? options.defaultCurrency
        let bars = stages.compactMap { stage -> BarChart.Bar? in
            guard let row = row(stage, currency: chosen) else { return nil }
            switch measure {
            case .count:
                return BarChart.Bar(label: stage.rawValue, value: Amount(row.count), valueLabel: String(row.count))
            case .amount:
                return BarChart.Bar(label: stage.rawValue, value: row.amount, valueLabel: "\(ReportFormat.grouped(ReportFormat.amount(row.amount))) (\(row.count))")
            case .weightedAmount:
                return BarChart.Bar(label: stage.rawValue, value: row.weightedAmount, valueLabel: "\(ReportFormat.grouped(ReportFormat.amount(row.weightedAmount))) (\(row.count))")
            }
        }
        let what = measure == .count ? "count" : measure == .amount ? "amount, \(chosen)" : "weighted amount, \(chosen)"
        return BarChart(title: "Pipeline by stage (\(what))", bars: bars, style: style)
    }
}
