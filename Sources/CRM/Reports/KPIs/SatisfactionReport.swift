/// Customer satisfaction: CSAT and NPS (客户满意度).
///
/// Definitions:
/// - CSAT answers are surveys of kind `csat` with a score from 1 to 5; the CSAT average is
///   the mean score; *satisfied* answers score 4 or 5; satisfied share = satisfied / answers,
///   held against the handbooks' target of 85% (at least);
/// - NPS answers are surveys of kind `nps` with a score from 0 to 10: promoters score 9–10,
///   passives 7–8, detractors 0–6; NPS = (promoters − detractors) / answers × 100, a score from
///   −100 to 100 (no target by default);
/// - scores outside their scale are left out and counted in `invalidAnswers`;
/// - with a period, answers count when the day of `answered_at` (time zone
///   `utcOffsetMinutes` east of UTC) falls in it; answers without a time are then left out.
public struct SatisfactionReport: TabularReport, Hashable, Codable {
    public struct Options: Hashable, Sendable, Codable {
        public var period: ReportPeriod?
        public var utcOffsetMinutes: Int
        public var satisfiedTarget: KPITarget?
        public var csatAverageTarget: KPITarget?
        public var npsTarget: KPITarget?

        public init(
            period: ReportPeriod? = nil, utcOffsetMinutes: Int = 480, satisfiedTarget: KPITarget? = KPITarget(0.85),
            csatAverageTarget: KPITarget? = nil, npsTarget: KPITarget? = nil
        ) {
            self.period = period
            self.utcOffsetMinutes = utcOffsetMinutes
            self.satisfiedTarget = satisfiedTarget
            self.csatAverageTarget = csatAverageTarget
            self.npsTarget = npsTarget
        }
    }

    /// CSAT figures.
    public struct CSAT: Hashable, Sendable, Codable {
        public var answers: Int
        /// The count of answers per score, index 0 for score 1 through index 4 for score 5.
        public var distribution: [Int]
        public var satisfied: Int
        public var average: KPI
        public var satisfiedShare: KPI
    }

    /// NPS figures.
    public struct NPS: Hashable, Sendable, Codable {
        public var answers: Int
        public var promoters: Int
        public var passives: Int
        public var detractors: Int
        /// From −100 to 100.
        public var score: KPI
    }

    public var options: Options
    public var csat: CSAT
    public var nps: NPS
    public var invalidAnswers: Int
    public var unsyncedLocalEdits: Int

    public init(_ dataSet: CRMDataSet, options: Options = Options()) {
        self.options = options
        let surveys = dataSet.surveys.filter { survey in
            guard let period = options.period else { return true }
            return survey.answeredAt.map { period.contains($0.day(utcOffsetMinutes: options.utcOffsetMinutes)) } ?? false
        }
        var distribution = [Int](repeating: 0, count: 5)
        var npsScores: [Int64] = []
        var invalid = 0
        for survey in surveys {
            guard let score = survey.score else {
                invalid += 1
                continue
            }
            switch survey.kind {
            case "csat" where CRMRules.csatScores.contains(score): distribution[Int(score) - 1] += 1
            case "nps" where CRMRules.npsScores.contains(score): npsScores.append(score)
            default: invalid += 1
            }
        }
        let csatAnswers = distribution.reduce(0, +)
        let csatSum = distribution.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }
        let satisfied = distribution[3] + distribution[4]
        csat = CSAT(
            answers: csatAnswers, distribution: distribution, satisfied: satisfied,
            average: KPI(value: csatAnswers == 0 ? nil : Double(csatSum) / Double(csatAnswers), target: options.csatAverageTarget),
            satisfiedShare: .rate(satisfied, of: csatAnswers, target: options.satisfiedTarget)
        )
        let promoters = npsScores.filter { $0 >= 9 }.count
        let detractors = npsScores.filter { $0 <= 6 }.count
        nps = NPS(
            answers: npsScores.count, promoters: promoters, passives: npsScores.count - promoters - detractors,
            detractors: detractors,
            score: KPI(value: npsScores.isEmpty ? nil : Double((promoters - detractors) * 100) / Double(npsScores.count), target: options.npsTarget)
        )
        invalidAnswers = invalid
        unsyncedLocalEdits = surveys.filter(\.isUnsynced).count
    }

    public var table: ReportTable {
        var rows = [
            ["CSAT average (1–5)", ReportFormat.fixed(csat.average.value, places: 2),
             csat.average.target == nil ? "no target" : ReportFormat.target(csat.average, asPercent: false),
             "\(csat.answers) answers"],
            ["satisfied (4–5)", ReportFormat.percent(csat.satisfiedShare.value), ReportFormat.target(csat.satisfiedShare),
             "\(csat.satisfied) of \(csat.answers)"],
            ["NPS", ReportFormat.fixed(nps.score.value, places: 1), ReportFormat.target(nps.score, asPercent: false),
             "\(nps.promoters) promoters, \(nps.passives) passives, \(nps.detractors) detractors"],
        ]
        if invalidAnswers > 0 { rows.append(["answers left out", String(invalidAnswers), "", "score missing or off its scale"]) }
        return ReportTable(
            title: "Customer satisfaction",
            headers: ["measure", "value", "target", "detail"],
            alignments: [.left, .right, .left, .left],
            rows: rows,
            notes: ["NPS = % promoters (9–10) − % detractors (0–6)"] + ReportFormat.unsyncedNote(unsyncedLocalEdits)
        )
    }
}
