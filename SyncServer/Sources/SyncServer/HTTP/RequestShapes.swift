import SyncCore

/// The shapes of the request bodies the server reads, checked while `JSONReader` parses them
/// (`RequestBodyReader.parse`). The sync protocol's own live next to their types in SyncCore;
/// `OpenAPIDocumentTests` checks that every one lists the same keys as openapi.yaml.
enum RequestShapes {
    static let dot = JSONShape.object(["r": .any, "c": .any])
    static let syncRequest = SyncRequest.shape
    static let enrollRequest = EnrollRequest.shape
    static let reassignDeviceRequest = JSONShape.object(["user": .any])
    static let pointsAdjustment = JSONShape.object(["points": .any, "reason": .any])
    static let createUserRequest = JSONShape.object(["name": .any, "role": .any, "territories": .array(.any), "team": .array(.any)])
    static let updateUserRequest = JSONShape.object(["territories": .array(.any), "team": .array(.any)])
    static let conflictResolution = JSONShape.object([
        "action": .any, "sibling": dot, "value": .any, "text": .any, "survivor": .any, "fields": .any, "note": .any,
    ])
    static let conflictDismissal = JSONShape.object(["reason": .any])
    static let duplicateMergeRequest = JSONShape.object(["entity": .any, "survivor": .any, "duplicate": .any, "fields": .any, "note": .any])
}
