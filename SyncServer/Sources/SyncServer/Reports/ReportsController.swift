import CRM
import HTTPTypes
import Hummingbird
import NIOCore
import SyncCore

/// `GET /v1/reports/{name}` (JSON; `?format=csv` or `?format=text`) and
/// `GET /v1/reports/{name}.svg` (the pipeline or lead-funnel chart): the KPI reports over the
/// server's records, for devices of managers and admins.
///
/// Report parameters are query parameters (`as_of`, `period`, `owner`, … as `ReportParameters`
/// reads them). The chart also takes `measure` (count, amount, weighted_amount), `style`
/// (funnel, bars) and `currency`.
struct ReportsController<Storage: ServerStorage>: Sendable {
    let accounts: AccountService<Storage>
    let reports: ReportService<Storage>
    let guards: RequestGuards

    /// Query parameters that choose the output rather than the report.
    static var outputParameters: Set<String> { ["format", "measure", "style"] }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(":name", use: self.report)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try await accounts.authenticate(authorization: request.headers[.authorization])
        try await guards.rateLimiter.admitRequest(from: caller.replica.rawValue)
        let device = try reports.requireReader(caller)
        let requested = try context.parameters.require("name")
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value)
        }
        let output = query.filter { Self.outputParameters.contains($0.key) }
        let parameters = query.filter { !Self.outputParameters.contains($0.key) }
        // The words a person reads (text and charts) follow Accept-Language; JSON and CSV keep
        // the report's English words, which scripts and spreadsheets rely on.
        let language = request.headers[.acceptLanguage].flatMap(Language.negotiate) ?? .english
        if requested.hasSuffix(".svg") {
            return try await chart(String(requested.dropLast(4)), parameters: parameters, output: output, device: device, language: language)
        }
        if output["measure"] != nil || output["style"] != nil {
            throw ServerError(.invalidRequest, .chartParameters, ["report": requested])
        }
        let document = try await guards.expensiveReads.run { try await reports.report(requested, query: parameters, for: device) }
        switch output["format"] ?? "json" {
        case "json":
            return try JSONResponse.make(document, for: request)
        case "csv":
            return Self.text(document.result.csv(), contentType: "text/csv; charset=utf-8", filename: "\(document.report).csv")
        case "text":
            return Self.text(document.text(language), contentType: "text/plain; charset=utf-8")
        case let format:
            throw ServerError(.invalidRequest, .reportFormat, ["format": format])
        }
    }

    private func chart(_ name: String, parameters: [String: String], output: [String: String], device: DeviceAccount, language: Language) async throws -> Response {
        let svg = try await guards.expensiveReads.run { try await reports.chart(name, parameters: parameters, output: output, for: device, language: language) }
        return Self.text(svg, contentType: "image/svg+xml; charset=utf-8")
    }

    /// A text body; `filename` offers it as a download.
    static func text(_ text: String, contentType: String, filename: String? = nil) -> Response {
        let body = ByteBuffer(string: text)
        var headers: HTTPFields = [.contentType: contentType, .contentLength: String(body.readableBytes)]
        if let filename { headers[.contentDisposition] = "attachment; filename=\"\(filename)\"" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
