import Foundation
import SyncCore

/// The win probability (赢率) each pipeline stage implies: what a stage move writes into an
/// opportunity's `probability`, and what the pipeline weights a deal without one by.
///
/// Set per company by admins as `target` records, reference data every device receives (like
/// the KPI targets and the loyalty program): `kpi` `stage_probability_<stage>` (for example
/// `stage_probability_proposal`), `value` in percent, no `rep` and no `period`. A stage no
/// record sets keeps its default (`OpportunityStage.defaultProbability`: qualification 10,
/// needs_analysis 25, proposal 50, negotiation 75, won 100, lost 0).
public struct StageProbabilities: Sendable, Hashable {
    /// The `target.kpi` value that sets `stage`'s probability.
    public static func setting(for stage: OpportunityStage) -> String {
        "stage_probability_" + stage.rawValue
    }

    /// The `target.kpi` values that set the table.
    public static let settings = OpportunityStage.allCases.map(setting(for:))

    /// The handbooks' table, used where no record sets a stage.
    public static let standard = StageProbabilities(percent: [:])

    private var percent: [OpportunityStage: Int64]

    /// A table with `percent` for the stages it names (clamped to 0–100), the defaults for the rest.
    public init(percent: [OpportunityStage: Int64]) {
        self.percent = Dictionary(uniqueKeysWithValues: OpportunityStage.allCases.map { stage in
            (stage, min(100, max(0, percent[stage] ?? stage.defaultProbability)))
        })
    }

    /// The table the company's `target` records set (those without a rep or period; several
    /// for one stage: the one with the smallest id, so every replica agrees).
    public init(targets: some Sequence<RecordState>) {
        self.init(targets: targets.lazy.filter { !$0.isDeleted(policy: CRMSchema.target.deletionPolicy) }.map(CRMDataSet.Record.init(state:)))
    }

    /// The table the company's `target` records of a data set set.
    public init(targets: some Sequence<CRMDataSet.Record>) {
        var chosen: [OpportunityStage: (id: RecordID, value: Int64)] = [:]
        for record in targets where record.entity == CRMSchema.target.name && record.text("rep") == nil && record.text("period") == nil {
            guard let kpi = record.text("kpi"), kpi.hasPrefix("stage_probability_"),
                let stage = OpportunityStage(rawValue: String(kpi.dropFirst("stage_probability_".count))),
                let amount = record.amount("value")
            else { continue }
            if let existing = chosen[stage], existing.id < record.id { continue }
            chosen[stage] = (record.id, Int64(truncating: amount.rounded(scale: 0).decimal as NSNumber))
        }
        self.init(percent: chosen.mapValues(\.value))
    }

    /// The probability in percent `stage` implies.
    public subscript(stage: OpportunityStage) -> Int64 {
        percent[stage] ?? stage.defaultProbability
    }

    /// "qualification 10 %, needs_analysis 25 %, …" in pipeline order (with the full-width
    /// comma in Chinese; the stages are named by the values people type).
    public func summary(_ language: Language = .english) -> String {
        OpportunityStage.allCases.map { "\($0.rawValue) \(self[$0]) %" }.joined(separator: language == .chinese ? "，" : ", ")
    }
}
