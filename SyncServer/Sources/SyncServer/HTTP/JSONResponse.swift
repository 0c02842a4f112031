import HTTPTypes
import Hummingbird
import NIOCore
import CRM
import SyncCore

/// JSON responses, gzip-compressed when the client accepts it.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, for request: Request) throws -> Response {
        try make(bytes: try ServerJSON.encode(value), status: status, for: request)
    }

    /// A sync answer, written by `JSONText` with the stored changes and states spliced in.
    static func make(answer: EncodedSyncResponse, for request: Request) throws -> Response {
        // Reserved once: grown by doubling, a 1 MiB page was copied four times on its way.
        var text = JSONText(capacity: answer.splicedBytes + 16 * 1024)
        answer.write(to: &text)
        return try make(bytes: text.bytes, status: .ok, for: request)
    }

    private static func make(bytes: [UInt8], status: HTTPResponse.Status, for request: Request) throws -> Response {
        var body = ByteBuffer(bytes: bytes)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .vary: "Accept-Encoding"]
        if acceptsGzip(request.headers[.acceptEncoding]) {
            body = try GzipBody.encode(body)
            headers[.contentEncoding] = "gzip"
        }
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// Whether an `Accept-Encoding` value allows gzip ("gzip", "gzip;q=0.5", "*"), and not with q=0.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first, ["gzip", "x-gzip", "*"].contains(name) else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }
}

extension ServerError: HTTPResponseError {
    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code.httpStatus) }

    /// The JSON error response, its message in the request's language (`AppRequestContext.language`).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let language = (context as? AppRequestContext)?.language ?? Language.of(request)
        let body = ByteBuffer(bytes: try ServerJSON.encoder().encode(self.body(in: language)))
        var headers: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes),
            .contentLanguage: language.rawValue, .vary: "Accept-Language",
        ]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

extension Language {
    /// The language a request's messages are written in: the highest-weighted of its
    /// `Accept-Language` that FieldSync speaks, else English.
    static func of(_ request: Request) -> Language {
        request.headers[.acceptLanguage].flatMap(negotiate) ?? .english
    }
}

/// Decides the request's language once (`AppRequestContext.language`) and turns every failure
/// into the JSON error body in that language, so no client ever parses an HTML or empty error:
/// `ServerError`s keep their code, Hummingbird's `HTTPError`s (no such route, …) get one from
/// their status and our sentence for it (the library's English message goes to the log, never
/// into a Chinese answer), and anything else is a logged 500 `internal_error`.
struct ErrorMiddleware: RouterMiddleware {
    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.language = Language.of(request)
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            context.logger.info(
                "request refused",
                metadata: ["code": "\(error.code.rawValue)", "message": "\(error.message)", "path": "\(request.uri.path)"]
            )
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let refusal: ServerError
            switch error.status.code {
            case 404: refusal = ServerError(.notFound, .noEndpoint, ["method": request.method, "path": request.uri.path])
            case 405: refusal = ServerError(.invalidRequest, .methodNotAllowed, ["method": request.method, "path": request.uri.path])
            case 413: refusal = ServerError(.payloadTooLarge, .bodyTooLarge)
            case 400..<500: refusal = ServerError(.invalidRequest, .httpRefusal, ["status": error.status.code])
            default: refusal = ServerError(.internalError, .httpFailure, ["status": error.status.code])
            }
            if let message = error.body {
                context.logger.info("request refused by the HTTP library", metadata: ["status": "\(error.status.code)", "message": "\(message)", "path": "\(request.uri.path)"])
            }
            var response = try refusal.response(from: request, context: context)
            if error.status.code != 404 { response.status = error.status }
            return response
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return try ServerError(.internalError, .internalFailure).response(from: request, context: context)
        }
    }
}
