import CRM

/// Every sentence a `ConfigurationError` can say, in English and Simplified Chinese: one case
/// per sentence, its values (the variable or option, the value as typed, a number) as
/// `{placeholders}`. A `Catalogue`, so a sentence without both texts does not compile;
/// `ServerWriteTests` checks each Chinese text is Chinese with the English placeholders.
public enum ConfigurationMessage: String, Catalogue {
    case notATimeout, notACount, notADuration, notAPort, notALogLevel, notPositive, notARate, notSeconds
    case portOutOfRange, maxRequestNotPositive, negativeSkew, maxChangesNotPositive, pageLimits, maxPageNotPositive
    case rateLimit, burstNotPositive, compactionNegative, timeoutsNotPositive, connectionsNotPositive
    case unauthenticatedNotPositive, bufferedTooSmall, expensiveReads, emptyDatabasePath

    public var texts: (english: String, chinese: String) {
        switch self {
        case .notATimeout: return ("{source}: '{text}' is not a timeout (seconds, e.g. 10 or 0.5, or 30s, 2m)", "{source}：'{text}' 不是超时时间（秒数，例如 10 或 0.5，或者 30s、2m）")
        case .notACount: return ("{source}: '{text}' is not a number (0 or more)", "{source}：'{text}' 不是数字（0 或更大）")
        case .notADuration: return ("{source}: '{text}' is not a duration (a number with s, m, h or d, e.g. 30d)", "{source}：'{text}' 不是时长（数字加 s、m、h 或 d，例如 30d）")
        case .notAPort: return ("{source}: '{text}' is not a port number (0-65535)", "{source}：'{text}' 不是端口号（0-65535）")
        case .notALogLevel: return ("{source}: '{text}' is not a log level ({names})", "{source}：'{text}' 不是日志级别（{names}）")
        case .notPositive: return ("{source}: '{text}' is not a positive integer", "{source}：'{text}' 不是正整数")
        case .notARate: return ("{source}: '{text}' is not a number of requests per second", "{source}：'{text}' 不是每秒请求数")
        case .notSeconds: return ("{source}: '{text}' is not a number of seconds", "{source}：'{text}' 不是秒数")
        case .portOutOfRange: return ("port {port} is not between 0 and 65535", "端口 {port} 不在 0 到 65535 之间")
        case .maxRequestNotPositive: return ("the max request size must be positive", "请求大小上限必须是正数")
        case .negativeSkew: return ("the allowed clock skew must not be negative", "允许的时钟偏差不能是负数")
        case .maxChangesNotPositive: return ("the max changes per request must be positive", "每个请求的变更数上限必须是正数")
        case .pageLimits: return ("page limits must be positive and the default may not exceed the maximum", "分页上限必须是正数，且默认值不能超过最大值")
        case .maxPageNotPositive: return ("the max page size must be positive", "分页大小上限必须是正数")
        case .rateLimit: return ("the rate limit must be a number of requests per second, 0 for none", "速率限制必须是每秒请求数，0 表示不限制")
        case .burstNotPositive: return ("the rate limit burst must be positive", "速率限制的突发量必须是正数")
        case .compactionNegative: return ("the compaction horizon and interval must not be negative", "压缩期限和间隔不能是负数")
        case .timeoutsNotPositive: return ("the header, body and idle timeouts and the shutdown grace period must be positive", "请求头、请求内容和空闲超时以及关闭宽限期都必须是正数")
        case .connectionsNotPositive: return ("the connection limit must be positive", "连接数上限必须是正数")
        case .unauthenticatedNotPositive: return ("the unauthenticated body limit must be positive", "未认证请求内容的上限必须是正数")
        case .bufferedTooSmall: return ("the buffered request bytes must be at least the max request size, or no large request could ever be read", "缓冲的请求字节数不能小于请求大小上限，否则大的请求永远无法读取")
        case .expensiveReads: return ("expensive reads need at least one at a time, and a queue of 0 or more", "耗时读取至少要允许同时进行一个，队列长度为 0 或更大")
        case .emptyDatabasePath: return ("the database path is empty", "数据库路径为空")
        }
    }
}
