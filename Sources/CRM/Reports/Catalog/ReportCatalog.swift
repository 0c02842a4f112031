/// Computes any report by name from a data set and request parameters: the one place where the
/// device (`fieldsync report`) and the server (`GET /v1/reports/{name}`) turn a request into a
/// report, so both compute the same thing from the same records.
///
/// Targets: each KPI is held against the `target` records (`KPITargets`: the owner's, else the
/// company's, else the handbooks' default).
///
/// Defaults: the report is for `as_of` or, without it, the day of `now` in the time zone
/// `utc_offset` (480, China Standard Time); complaint handling is as of the end of `as_of`, or
/// `now`; retention compares the 90 days up to `as_of` with the 90 days before them unless a
/// period is given; the other reports cover all time unless a period is given.
public enum ReportCatalog {
    /// The default time zone of report days: China Standard Time, where the handbooks' reps work.
    public static let defaultUTCOffsetMinutes = 480

    /// The default span of the retention report, in days.
    public static let defaultRetentionDays = 90

    /// The day a report with `parameters` is for, when computed at `now`.
    public static func asOf(_ parameters: ReportParameters, now: Instant) -> CalendarDay {
        parameters.asOf ?? now.day(utcOffsetMinutes: parameters.utcOffsetMinutes ?? defaultUTCOffsetMinutes)
    }

    /// Computes one report.
    ///
    /// - Parameters:
    ///   - name: which report.
    ///   - dataSet: the records it reads (with their unsynced ids on a device).
    ///   - parameters: the request, already checked for `name` (`ReportParameters(query:for:)`).
    ///   - now: the current time where the report is computed.
    public static func compute(_ name: ReportName, over dataSet: CRMDataSet, parameters: ReportParameters, now: Instant) -> ReportResult {
        let offset = parameters.utcOffsetMinutes ?? defaultUTCOffsetMinutes
        let day = asOf(parameters, now: now)
        let period = parameters.period?.resolved(asOf: day)
        let owner = parameters.owner
        let targets = KPITargets(dataSet.targets)
        switch name {
        case .pipeline:
            return .pipeline(PipelineReport(dataSet, options: .init(currency: parameters.currency, owner: owner, asOf: day, utcOffsetMinutes: offset)))
        case .conversion:
            return .conversion(ConversionReport(dataSet, options: .init(period: period, owner: owner, asOf: day, utcOffsetMinutes: offset)))
        case .deals:
            let quota = targets.target(.wonAmount, rep: owner, period: period, fallback: nil)
            return .deals(DealReport(dataSet, options: .init(period: period, owner: owner, quota: quota)))
        case .visits:
            let options = VisitReport.Options(period: period, types: parameters.activityTypes ?? ["visit"], utcOffsetMinutes: offset, owner: owner, asOf: day)
            return .visits(VisitReport(dataSet, options: options))
        case .followups:
            return .followups(FollowUpReport(dataSet, options: .init(asOf: day, owner: owner)))
        case .churn:
            let options = ChurnRiskReport.Options(asOf: day, inactiveDays: parameters.inactiveDays ?? 90, utcOffsetMinutes: offset, owner: owner)
            return .churn(ChurnRiskReport(dataSet, options: options))
        case .retention:
            let span = period ?? .trailing(days: defaultRetentionDays, endingOn: day)
            let defaults = RetentionReport.Options(period: span)
            return .retention(RetentionReport(dataSet, options: .init(
                period: span,
                retentionTarget: targets.target(.retentionRate, period: span, fallback: defaults.retentionTarget),
                churnTarget: targets.target(.churnRate, period: span, fallback: defaults.churnTarget)
            )))
        case .complaints:
            // The end of the as-of day, or now: a ticket answered later today still counts.
            let instant = parameters.asOf.map { Instant(startOf: $0.adding(days: 1), utcOffsetMinutes: offset).adding(seconds: -1) } ?? now
            let defaults = ComplaintHandlingReport.Options(asOf: instant)
            return .complaints(ComplaintHandlingReport(dataSet, options: .init(
                asOf: instant, responseHours: parameters.responseHours ?? 24,
                respondedWithinTarget: targets.target(.respondedWithin, fallback: defaults.respondedWithinTarget),
                resolvedWithinTarget: targets.target(.resolvedWithin, fallback: defaults.resolvedWithinTarget)
            )))
        case .satisfaction:
            let defaults = SatisfactionReport.Options(period: period)
            return .satisfaction(SatisfactionReport(dataSet, options: .init(
                period: period, utcOffsetMinutes: offset,
                satisfiedTarget: targets.target(.csatSatisfied, period: period, fallback: defaults.satisfiedTarget),
                csatAverageTarget: targets.target(.csatAverage, period: period, fallback: defaults.csatAverageTarget),
                npsTarget: targets.target(.nps, period: period, fallback: defaults.npsTarget)
            )))
        case .abc:
            return .abc(abcClassification(dataSet, parameters: parameters, now: now))
        case .lifecycle:
            return .lifecycle(lifecycleReport(dataSet, parameters: parameters, now: now))
        case .receivables:
            return .receivables(ReceivablesReport(dataSet, options: .init(asOf: day, owner: owner)))
        }
    }

    /// The ABC classification a request asks for (also what `fieldsync classify` writes).
    public static func abcClassification(_ dataSet: CRMDataSet, parameters: ReportParameters, now: Instant) -> ABCClassification {
        let period = parameters.period?.resolved(asOf: asOf(parameters, now: now))
        let options = ABCClassification.Options(rule: parameters.abcRule ?? .standard, currency: parameters.currency ?? "CNY", period: period)
        return ABCClassification(dataSet, options: options)
    }

    /// The lifecycle suggestions a request asks for (also what `fieldsync classify` writes).
    public static func lifecycleReport(_ dataSet: CRMDataSet, parameters: ReportParameters, now: Instant) -> LifecycleReport {
        let options = LifecycleReport.Options(
            asOf: asOf(parameters, now: now), churnedAfterDays: parameters.churnedAfterDays ?? 180,
            loyalMinimumPurchases: parameters.loyalMinimumPurchases ?? 4,
            utcOffsetMinutes: parameters.utcOffsetMinutes ?? defaultUTCOffsetMinutes
        )
        return LifecycleReport(dataSet, options: options)
    }
}
