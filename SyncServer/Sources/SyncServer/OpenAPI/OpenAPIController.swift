import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /openapi.yaml`: the OpenAPI 3.1 document of this server (SyncServer/openapi.yaml,
/// compiled into the library so a lone binary still serves it).
struct OpenAPIController: Sendable {
    /// The document's bytes.
    static var document: [UInt8] { PackageResources.openapi_yaml }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("openapi.yaml", use: self.document)
    }

    @Sendable func document(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = ByteBuffer(bytes: Self.document)
        let headers: HTTPFields = [.contentType: "application/yaml; charset=utf-8", .contentLength: String(body.readableBytes)]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
