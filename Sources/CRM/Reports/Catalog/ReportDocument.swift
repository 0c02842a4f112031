/// A computed report with what it was computed from: the JSON a device prints with `--json`
/// and the server answers on `GET /v1/reports/{name}`, in the same shape.
///
/// ```json
/// {"report": "pipeline", "source": "server", "scope": "everything", "generatedAt": "2026-11-23T09:00:00Z",
///  "asOf": "2026-11-23", "parameters": {"currency": "CNY"}, "recordCount": 1629, "unsyncedLocalEdits": 0,
///  "result": {…the report…}}
/// ```
public struct ReportDocument: Hashable, Sendable {
    /// Where the report was computed.
    public enum Source: String, Hashable, Sendable, Codable {
        /// On a device, over its own records, unsynced local edits included.
        case device
        /// On the server, over the records the caller may see.
        case server
    }

    public var source: Source
    /// The part of the data the report covers on the server ("everything", or a territory
    /// scope); nil on a device.
    public var scope: String?
    public var generatedAt: Instant
    public var asOf: CalendarDay
    public var parameters: ReportParameters
    /// Visible records in the data set the report read.
    public var recordCount: Int
    public var result: ReportResult

    public var report: ReportName { result.name }

    /// Records the report read that have unsynced local edits (always 0 on the server).
    public var unsyncedLocalEdits: Int { result.unsyncedLocalEdits }

    public init(source: Source, scope: String? = nil, generatedAt: Instant, asOf: CalendarDay, parameters: ReportParameters, recordCount: Int, result: ReportResult) {
        self.source = source
        self.scope = scope
        self.generatedAt = generatedAt
        self.asOf = asOf
        self.parameters = parameters
        self.recordCount = recordCount
        self.result = result
    }

    /// Computes a report over a data set and wraps it.
    public static func compute(
        _ name: ReportName, over dataSet: CRMDataSet, parameters: ReportParameters, now: Instant,
        source: Source, scope: String? = nil
    ) -> ReportDocument {
        let result = ReportCatalog.compute(name, over: dataSet, parameters: parameters, now: now)
        let recordCount = CRMSchema.schema.entityNames.reduce(0) { $0 + dataSet.records(of: $1).count }
        return ReportDocument(
            source: source, scope: scope, generatedAt: now, asOf: ReportCatalog.asOf(parameters, now: now),
            parameters: parameters, recordCount: recordCount, result: result
        )
    }

    /// One line saying where and when the report was computed, and whether it includes
    /// unsynced local edits.
    public var origin: String {
        switch source {
        case .device:
            let line = "computed on this device from \(recordCount) records, as of \(asOf)"
            return unsyncedLocalEdits == 0 ? line : line + "; local edits not synced yet are included (`fieldsync sync` shares them)"
        case .server:
            return "computed on the server at \(generatedAt) from \(recordCount) records (scope: \(scope ?? "everything")), as of \(asOf)"
        }
    }

    /// The tables as text, then `origin`, in `language`.
    public func text(_ language: Language = .english) -> String {
        result.text(language) + ReportPhrases.text(origin, language) + "\n"
    }
}

extension ReportDocument: Codable {
    enum CodingKeys: String, CodingKey {
        case report, source, scope, generatedAt, asOf, parameters, recordCount, unsyncedLocalEdits, result
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(ReportName.self, forKey: .report)
        source = try container.decode(Source.self, forKey: .source)
        scope = try container.decodeIfPresent(String.self, forKey: .scope)
        generatedAt = try container.decode(Instant.self, forKey: .generatedAt)
        asOf = try container.decode(CalendarDay.self, forKey: .asOf)
        parameters = try container.decode(ReportParameters.self, forKey: .parameters)
        recordCount = try container.decode(Int.self, forKey: .recordCount)
        result = try ReportResult(name: name, from: try container.superDecoder(forKey: .result))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report, forKey: .report)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(scope, forKey: .scope)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(recordCount, forKey: .recordCount)
        try container.encode(unsyncedLocalEdits, forKey: .unsyncedLocalEdits)
        try result.encode(to: container.superEncoder(forKey: .result))
    }
}
