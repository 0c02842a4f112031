/// The targets reports hold their KPIs against: set by admins as `target` records (reference
/// data every device receives), for the company or for one rep, for any period or one, else
/// the handbooks' defaults.
///
/// A KPI's target is, in order: the rep's for the report's period, the rep's for any period,
/// the company's for the period, the company's for any period, the default. The rep is the
/// report's `owner`; reports without one use the company's. Values are stored as people say
/// them — rates in percent (`90`), NPS and CSAT average as scores, quotas as amounts — and
/// read here as the KPIs measure them (rates as fractions).
public struct KPITargets: Sendable {
    /// A KPI a target can be set for; the raw values are the `kpi` field's.
    public enum Name: String, CaseIterable, Sendable {
        case respondedWithin = "responded_within"
        case resolvedWithin = "resolved_within"
        case csatSatisfied = "csat_satisfied"
        case csatAverage = "csat_average"
        case nps
        case churnRate = "churn_rate"
        case retentionRate = "retention_rate"
        case wonAmount = "won_amount"

        /// How the KPI is compared: churn must stay under its target, the rest reach theirs.
        var comparison: KPITarget.Comparison { self == .churnRate ? .atMost : .atLeast }

        /// Rates are stored in percent and measured as fractions.
        var isRate: Bool { [.respondedWithin, .resolvedWithin, .csatSatisfied, .churnRate, .retentionRate].contains(self) }
    }

    let targets: [CRMDataSet.Target]

    public init(_ targets: [CRMDataSet.Target]) {
        self.targets = targets
    }

    /// The target of `name` for `rep` in `period`, or `fallback` when no record sets one.
    public func target(_ name: Name, rep: String? = nil, period: ReportPeriod? = nil, fallback: KPITarget?) -> KPITarget? {
        let candidates = targets.filter { $0.kpi == name.rawValue }
        func matches(_ target: CRMDataSet.Target, rep wanted: String?, periodMatters: Bool) -> Bool {
            guard target.rep == wanted else { return false }
            guard periodMatters else { return target.period == nil }
            guard let text = target.period, let period, case .fixed(let fixed)? = ReportParameters.period(text) else { return false }
            return fixed == period
        }
        let order: [(String?, Bool)] = (rep.map { [($0, true), ($0, false)] } ?? []) + [(nil, true), (nil, false)]
        for (wanted, periodMatters) in order {
            // Several records for one slot: the one with the smallest id, so every replica agrees.
            guard let found = candidates.filter({ matches($0, rep: wanted, periodMatters: periodMatters) }).min(by: { $0.id < $1.id }) else { continue }
            let number = Double(found.value.formatted(places: 6)) ?? 0
            return KPITarget(name.isRate ? number / 100 : number, name.comparison, source: wanted.map { "rep \($0)" } ?? "company")
        }
        return fallback
    }
}
