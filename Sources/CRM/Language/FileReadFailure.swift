import Foundation

/// Why a file could not be read, from the code of Foundation's error, in the reader's
/// language: Foundation's own sentence ("The file doesn't exist.") is English whatever the
/// locale. `fieldsync` and `fieldsync-server` say it after the file's path.
public enum FileReadFailure: String, Catalogue {
    case missing, noPermission, unreadable

    public var texts: (english: String, chinese: String) {
        switch self {
        case .missing: return ("no such file", "文件不存在")
        case .noPermission: return ("permission denied", "没有读取权限")
        case .unreadable: return ("the file cannot be read", "文件无法读取")
        }
    }

    /// The reason `error` (thrown by `Data(contentsOf:)`) stands for.
    public init(_ error: any Error) {
        switch (error as? CocoaError)?.code {
        case .fileReadNoSuchFile?, .fileNoSuchFile?: self = .missing
        case .fileReadNoPermission?: self = .noPermission
        default: self = .unreadable
        }
    }
}
