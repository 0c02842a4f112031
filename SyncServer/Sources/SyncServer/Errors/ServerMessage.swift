import CRM
import SyncCore

/// Every sentence a `ServerError` can say, in English and Simplified Chinese: one case per
/// sentence, its values as `{placeholders}` (ids, names, limits, kept as they are). A
/// `Catalogue`, so a sentence without both texts does not compile, and `ServerMessageTests`
/// checks that each Chinese text is Chinese with the English placeholders.
///
/// A refusal that passes on a shared library's sentence (a schema refusal, a loyalty rule)
/// says it as `{reason}`, typed (`RefusalSentence`, the sentences the device says too); a JSON
/// reader's or a report parameter's complaint, still English text, is translated by pattern
/// in `RefusalPhrases`.
public enum ServerMessage: String, Catalogue {
    // Values that are words: rendered in the message's language.
    case statusOpen, statusResolvedByEdit, statusResolvedByAdmin, statusDismissed, topLevel
    case typeString, typeInteger, typeNumber, typeBool, typeArray, typeObject

    // Request bodies and JSON.
    case bodyNotJSON, bodyWithoutContentType, encodingNotSupported, bodyHasTooManyBytes, bodyLargerThanLimit, bodyTooLarge
    case bodyEmpty, jsonAt, jsonSyntax, jsonSyntaxAtByte, jsonUnknownKey, jsonDuplicateKey, jsonNestsTooDeep
    case jsonNotJSON, jsonMissingKey, jsonExpected, jsonFoundNull
    case gzipNotGzip, gzipDecodedTooLarge, gzipCorrupt, gzipTruncated
    case noEndpoint, methodNotAllowed, httpRefusal, httpFailure, internalFailure

    // Guards.
    case rateLimited, tooManyBodies, tooManyExpensiveReads, tooManyWatchers

    // Devices, tokens, enrollment, roles.
    case needsDeviceToken, invalidDeviceToken, deviceRevoked, deviceWiped, invalidEnrollmentCode
    case replicaAlreadyEnrolled, deviceNameLength, adminPageNeedsAdmin, endpointNeedsAdmin, reportsNeedManager
    case noDevice, deviceWasWiped, deviceInUse, notAReplicaID, notADeviceID, deviceActionUnknown

    // Users, teams and territories.
    case noUserNamed, userExists, onlyManagerHasTeam, teamTooLarge, ownTeam, teamMemberUnknown, userNameInvalid
    case userTerritoriesTooMany, territoryNameLength, roleNeedsTerritory, territoryTitleTaken, noTerritory
    case territoryWorkedBy, territoryHasAccounts

    // Sync.
    case watchPositionInvalid
    case protocolUnsupported, replicaMismatch, tooManyChanges, cursorNegative, cursorAhead, highWaterNegative
    case highWaterBeyondLog, bootstrapAfterPair, bootstrapPriorityTooLong, bootstrapPriorityIDTooLong, bootstrapDayInvalid
    case limitNotPositive

    // Reports.
    case chartParameters, reportFormat, noReport, chartIsSVG, noChart, chartMeasure, chartStyle, reportHasNoChart

    // Conflicts, merges and server writes.
    case noConflict, notAConflictID, conflictAlreadyClosed, conflictAlreadyClosedBy, dismissalReason, noRecordOnServer
    case conflictStatusFilter, conflictKindFilter, queryTooLong, listLimit, listOffset, durationInvalid
    case chooseAction, notAWrite, notAProbableDuplicate, onlyProbableDuplicateMerges, survivorMustBe, prefixAmbiguous
    case recordNotOnServer, referenceMustBeLive, onlyCustomersMerge, actionDoesNotSettle, chooseNeedsSibling
    case noCompetingValue, referencedRecordGone, mergePlannedElsewhere, noRegisterField, valueNeedsValue
    case entitiesDiffer, sameRecord, bothMustExist, noFieldToMerge, valueMustComeFrom
    case noAccount, adjustmentNeedsReason, importRecord, reason

    // The server's own faults and its configuration.
    case deviceWithoutUser, storedRole, storedReplica, statementDialect, columnValue, resolutionDidNotSettle, storedConflict
    case ownWriteUnmerged, ownWriteUnmergedRecord, logAction, groupedWriteLost, noReplicaIdentity, deviceStoreNotServerStore
    case unexpectedStoredType, logLimitUnreadable, postgresURL, postgresSSLMode, admissionNoRow, logNoSequence
    case storageResultCount, stoppedBeforeListening, adminTemplateMissing, adminFormType

    public var texts: (english: String, chinese: String) {
        switch self {
        case .statusOpen: return ("open", "未处理")
        case .statusResolvedByEdit: return ("resolved by edit", "已由修改解决")
        case .statusResolvedByAdmin: return ("resolved by admin", "已由管理员解决")
        case .statusDismissed: return ("dismissed", "已忽略")
        case .topLevel: return ("the top level", "顶层")
        case .typeString: return ("a string", "字符串")
        case .typeInteger: return ("an integer", "整数")
        case .typeNumber: return ("a number", "数字")
        case .typeBool: return ("true or false", "true 或 false")
        case .typeArray: return ("an array", "数组")
        case .typeObject: return ("an object", "对象")

        case .bodyNotJSON: return ("the body must be JSON sent as 'Content-Type: application/json' (got '{contentType}')", "请求内容必须是 JSON，并以 'Content-Type: application/json' 发送（收到的是 '{contentType}'）")
        case .bodyWithoutContentType: return ("the body must be JSON sent as 'Content-Type: application/json' (got no Content-Type)", "请求内容必须是 JSON，并以 'Content-Type: application/json' 发送（请求没有 Content-Type）")
        case .encodingNotSupported: return ("Content-Encoding '{encoding}' is not supported (use gzip or none)", "不支持 Content-Encoding '{encoding}'（请用 gzip 或不压缩）")
        case .bodyHasTooManyBytes: return ("the request body has {bytes} bytes; the limit is {limit}", "请求内容有 {bytes} 字节；上限是 {limit}")
        case .bodyLargerThanLimit: return ("the request body is larger than the limit of {limit} bytes", "请求内容超过了 {limit} 字节的上限")
        case .bodyTooLarge: return ("the request body is too large", "请求内容太大")
        case .bodyEmpty: return ("the request body is empty; expected a JSON object", "请求内容为空；需要一个 JSON 对象")
        case .jsonAt: return ("at {place}: {reason}", "{place}处：{reason}")
        case .jsonNotJSON: return ("the body is not valid JSON", "请求内容不是有效的 JSON")
        case .jsonMissingKey: return ("at {place}: missing key '{key}'", "{place}处：缺少键 '{key}'")
        case .jsonExpected: return ("at {place}: expected {type}", "{place}处：需要{type}")
        case .jsonFoundNull: return ("at {place}: expected {type}, found null", "{place}处：需要{type}，收到的是 null")
        case .jsonSyntax: return ("{reason}", "请求内容不是有效的 JSON：{reason}")
        case .jsonSyntaxAtByte: return ("{reason} at byte {offset}", "请求内容不是有效的 JSON（第 {offset} 字节）：{reason}")
        case .jsonUnknownKey: return ("unknown key '{key}' in the object at {place} (allowed: {allowed})", "{place}处的对象含有未知的键 '{key}'（允许的键：{allowed}）")
        case .jsonDuplicateKey: return ("the key '{key}' appears twice in the object at {place}", "{place}处的对象中键 '{key}' 出现了两次")
        case .jsonNestsTooDeep: return ("the JSON nests deeper than {limit} levels at {place}", "JSON 在{place}处嵌套超过了 {limit} 层")
        case .gzipNotGzip: return ("the body is marked Content-Encoding: gzip but is not gzip data", "请求标明 Content-Encoding: gzip，但内容不是 gzip 数据")
        case .gzipDecodedTooLarge: return ("the decoded request body is larger than {limit} bytes", "解压后的请求内容超过了 {limit} 字节")
        case .gzipCorrupt: return ("the gzip body is corrupt ({error})", "gzip 内容已损坏（{error}）")
        case .gzipTruncated: return ("the gzip body is truncated or corrupt (its trailer does not match the data)", "gzip 内容不完整或已损坏（结尾校验与数据不符）")
        case .noEndpoint: return ("no endpoint {method} {path}", "没有接口 {method} {path}")
        case .methodNotAllowed: return ("{method} is not allowed on {path}", "{path} 不接受 {method} 请求")
        case .httpRefusal: return ("the request was refused (HTTP {status})", "请求被拒绝（HTTP {status}）")
        case .httpFailure: return ("the server failed (HTTP {status})", "服务器出错（HTTP {status}）")
        case .internalFailure: return ("the server failed to handle the request; retrying is safe", "服务器处理请求时出错；可以放心重试")

        case .rateLimited: return ("too many requests from this device; retry in {seconds} s", "此设备的请求太多；请在 {seconds} 秒后重试")
        case .tooManyBodies: return ("the server is receiving too many request bodies at once; retry in a moment", "服务器正在同时接收太多请求内容；请稍后重试")
        case .tooManyExpensiveReads: return ("too many reports and conflict lists are being computed; retry in a moment", "正在计算的报表和冲突列表太多；请稍后重试")
        case .tooManyWatchers: return ("{limit} devices are already watching for news; sync by polling, or watch again later", "已有 {limit} 台设备在等待新消息；请定时同步，或稍后再等待")

        case .needsDeviceToken: return ("this endpoint needs 'Authorization: Bearer <device token>'", "此接口需要 'Authorization: Bearer <设备令牌>'")
        case .invalidDeviceToken: return ("the device token is not valid", "设备令牌无效")
        case .deviceRevoked: return ("this device was revoked; enroll it again with a new code", "此设备已被吊销；请用新的注册码重新注册")
        case .deviceWiped: return ("an admin wiped this device: delete its local store; nothing more is accepted from it", "管理员已擦除此设备：请删除其本地数据库；服务器不再接受它的任何内容")
        case .invalidEnrollmentCode: return ("the enrollment code is unknown or was already used; ask an admin for a new one", "注册码不存在或已被使用；请向管理员索取新的注册码")
        case .replicaAlreadyEnrolled: return ("replica {replica} is already enrolled for another user; a device re-enrolls only with a code of its own user", "副本 {replica} 已为另一位用户注册；设备只能用其本人用户的注册码重新注册")
        case .deviceNameLength: return ("deviceName must be 1 to 100 characters", "deviceName 必须是 1 到 100 个字符")
        case .adminPageNeedsAdmin: return ("the admin page needs the admin role; '{user}' is a {role}", "管理页面需要管理员角色；'{user}' 的角色是 {role}")
        case .endpointNeedsAdmin: return ("this endpoint needs the admin role; '{user}' is a {role}", "此接口需要管理员角色；'{user}' 的角色是 {role}")
        case .reportsNeedManager: return ("reports need the manager or admin role; '{user}' is a {role}", "报表需要经理或管理员角色；'{user}' 的角色是 {role}")
        case .noDevice: return ("no device with replica {replica}", "没有副本为 {replica} 的设备")
        case .deviceWasWiped: return ("device {replica} was wiped: it cannot come back", "设备 {replica} 已被擦除：不能再恢复使用")
        case .deviceInUse: return ("device {replica} is in use: revoke it before moving it to another user", "设备 {replica} 正在使用：请先吊销，再把它转给另一位用户")
        case .notAReplicaID: return ("'{text}' is not a replica id", "'{text}' 不是副本 id")
        case .notADeviceID: return ("'{text}' is not a device id", "'{text}' 不是设备 id")
        case .deviceActionUnknown: return ("a device can be revoked or wiped, not '{action}'", "设备只能吊销或擦除，不能 '{action}'")

        case .noUserNamed: return ("no user named '{name}'", "没有名为 '{name}' 的用户")
        case .userExists: return ("a user named '{name}' already exists", "名为 '{name}' 的用户已存在")
        case .onlyManagerHasTeam: return ("only a manager has a team; '{name}' is a {role}", "只有经理才有团队；'{name}' 的角色是 {role}")
        case .teamTooLarge: return ("a team has at most 1000 members", "一个团队最多 1000 名成员")
        case .ownTeam: return ("'{name}' cannot be on their own team", "'{name}' 不能在自己的团队里")
        case .teamMemberUnknown: return ("team member '{member}' is not a user", "团队成员 '{member}' 不是用户")
        case .userNameInvalid: return ("user name '{name}' must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-'", "用户名 '{name}' 必须是 1 到 64 个字符，只能用 a-z、0-9、'.'、'_' 或 '-'")
        case .userTerritoriesTooMany: return ("a user has at most 1000 territories", "一位用户最多 1000 个区域")
        case .territoryNameLength: return ("territory '{territory}' must be 1 to 64 characters", "区域 '{territory}' 必须是 1 到 64 个字符")
        case .roleNeedsTerritory: return ("a {role} needs at least one territory", "{role} 至少需要一个区域")
        case .territoryTitleTaken: return ("territory '{other}' already has the title '{title}'", "区域 '{other}' 已经使用了名称 '{title}'")
        case .noTerritory: return ("no territory '{name}'", "没有区域 '{name}'")
        case .territoryWorkedBy: return ("territory '{name}' is still worked by {users}; move them first (user set NAME --territory …)", "区域 '{name}' 仍有用户负责：{users}；请先把他们调走（user set NAME --territory …）")
        case .territoryHasAccounts: return ("territory '{name}' still has {count} account(s); move them to another territory first", "区域 '{name}' 仍有 {count} 个客户；请先把它们移到其他区域")

        case .protocolUnsupported: return ("protocol version {version} is not supported; this server speaks version {supported}", "不支持协议版本 {version}；本服务器使用版本 {supported}")
        case .replicaMismatch: return ("the request names replica {requested} but the token belongs to replica {replica}", "请求中的副本是 {requested}，但令牌属于副本 {replica}")
        case .tooManyChanges: return ("a sync request may push at most {limit} changes, this one has {count}; push the rest in the next round", "一次同步请求最多推送 {limit} 个变更，这次有 {count} 个；其余的请在下一轮推送")
        case .watchPositionInvalid: return ("'after' must be the device's log position (an integer of 0 or more), not '{text}'", "'after' 必须是设备的日志位置（0 或更大的整数），而不是 '{text}'")
        case .cursorNegative: return ("cursor {cursor} is negative", "游标 {cursor} 是负数")
        case .cursorAhead: return ("cursor {cursor} is ahead of the server log ({latest}); the device must bootstrap again", "游标 {cursor} 超出了服务器日志（{latest}）；设备必须重新首次同步")
        case .highWaterNegative: return ("bootstrap high-water mark {mark} is negative", "首次同步的高水位 {mark} 是负数")
        case .highWaterBeyondLog: return ("bootstrap high-water mark {mark} is beyond the server log; start the bootstrap again", "首次同步的高水位 {mark} 超出了服务器日志；请重新开始首次同步")
        case .bootstrapAfterPair: return ("bootstrap afterEntity and afterID go together", "首次同步的 afterEntity 和 afterID 必须同时给出")
        case .bootstrapPriorityTooLong: return ("bootstrap priority lists at most {limit} accounts, got {count}", "首次同步的优先列表最多 {limit} 个客户，收到 {count} 个")
        case .bootstrapPriorityIDTooLong: return ("bootstrap priority holds an id longer than 64 bytes", "首次同步的优先列表中有超过 64 字节的 id")
        case .bootstrapDayInvalid: return ("bootstrap day '{day}' is not a date (YYYY-MM-DD)", "首次同步的日期 '{day}' 不是日期（YYYY-MM-DD）")
        case .limitNotPositive: return ("limit must be positive, got {limit}", "limit 必须是正数，收到的是 {limit}")

        case .chartParameters: return ("measure and style are chart parameters: ask for {report}.svg", "measure 和 style 是图表参数：请请求 {report}.svg")
        case .reportFormat: return ("format must be json, csv or text, got '{format}'", "format 必须是 json、csv 或 text，收到的是 '{format}'")
        case .noReport: return ("no report '{name}'; reports: {reports}", "没有报表 '{name}'；可用的报表：{reports}")
        case .chartIsSVG: return ("a chart is SVG; drop format={format}", "图表是 SVG 格式；请去掉 format={format}")
        case .noChart: return ("no chart '{name}.svg'; charts: {charts}", "没有图表 '{name}.svg'；可用的图表：{charts}")
        case .chartMeasure: return ("measure must be count, amount or weighted_amount, got '{measure}'", "measure 必须是 count、amount 或 weighted_amount，收到的是 '{measure}'")
        case .chartStyle: return ("style must be funnel or bars, got '{style}'", "style 必须是 funnel 或 bars，收到的是 '{style}'")
        case .reportHasNoChart: return ("the {report} report has no chart", "{report} 报表没有图表")

        case .noConflict: return ("no conflict {id}", "没有冲突 {id}")
        case .notAConflictID: return ("'{text}' is not a conflict id", "'{text}' 不是冲突 id")
        case .conflictAlreadyClosed: return ("conflict {id} is already {status}", "冲突 {id} 已经是“{status}”")
        case .conflictAlreadyClosedBy: return ("conflict {id} is already {status} (by {admin})", "冲突 {id} 已经是“{status}”（由 {admin} 处理）")
        case .dismissalReason: return ("a dismissal needs a reason of 1 to 1000 characters", "忽略冲突需要 1 到 1000 个字符的原因")
        case .noRecordOnServer: return ("the server has no {entity} {id}", "服务器上没有 {entity} {id}")
        case .conflictStatusFilter: return ("status must be open, resolved_by_edit, resolved_by_admin, dismissed, closed or all; got '{status}'", "status 必须是 open、resolved_by_edit、resolved_by_admin、dismissed、closed 或 all；收到的是 '{status}'")
        case .conflictKindFilter: return ("kind must be one of {kinds}; got '{kind}'", "kind 必须是 {kinds} 之一；收到的是 '{kind}'")
        case .queryTooLong: return ("q must be at most 200 characters", "q 最多 200 个字符")
        case .listLimit: return ("limit must be 1 to 1000", "limit 必须在 1 到 1000 之间")
        case .listOffset: return ("offset must be a non-negative integer", "offset 必须是非负整数")
        case .durationInvalid: return ("{name} must be a duration such as 30m, 2h or 3d; got '{text}'", "{name} 必须是时长，例如 30m、2h 或 3d；收到的是 '{text}'")
        case .chooseAction: return ("choose what to do with the conflict", "请选择如何处理这个冲突")
        case .notAWrite: return ("'{text}' does not name a write", "'{text}' 不是一次写入")
        case .notAProbableDuplicate: return ("it is not a probable duplicate", "这不是疑似重复")
        case .onlyProbableDuplicateMerges: return ("only a probable duplicate can be merged", "只有疑似重复才能合并")
        case .survivorMustBe: return ("the survivor must be {first} or {second}", "保留的记录必须是 {first} 或 {second}")
        case .prefixAmbiguous: return ("'{prefix}' names several {entity} records: {matches}", "'{prefix}' 对应多条 {entity} 记录：{matches}")
        case .recordNotOnServer: return ("{entity} {id} is not on the server", "{entity} {id} 不在服务器上")
        case .referenceMustBeLive: return ("{field} must name a live {entity}; {id} is deleted or not on the server", "{field} 必须指向一条现存的 {entity}；{id} 已被删除或不在服务器上")
        case .onlyCustomersMerge: return ("only customers ({entities}) can be merged", "只有客户（{entities}）才能合并")
        case .actionDoesNotSettle: return ("'{action}' does not settle a {kind} conflict (use {actions})", "'{action}' 不能解决 {kind} 冲突（请用 {actions}）")
        case .chooseNeedsSibling: return ("'choose' needs the dot of the value to keep ('sibling')", "'choose' 需要要保留的值的 dot（'sibling'）")
        case .noCompetingValue: return ("{field} holds no competing value written as {dot}", "{field} 没有以 {dot} 写入的竞争值")
        case .referencedRecordGone: return ("the record the reference names is not on the server; enter another value or delete the record", "引用指向的记录不在服务器上；请输入其他值或删除这条记录")
        case .mergePlannedElsewhere: return ("a merge is planned by DuplicateMerge", "合并由 DuplicateMerge 规划")
        case .noRegisterField: return ("{entity} has no register field '{field}'", "{entity} 没有寄存器字段 '{field}'")
        case .valueNeedsValue: return ("'value' needs the new value ('value' as JSON or 'text' as typed)", "'value' 需要新值（'value' 为 JSON，或 'text' 为输入的文字）")
        case .entitiesDiffer: return ("a {survivor} cannot be merged with a {duplicate}", "{survivor} 不能与 {duplicate} 合并")
        case .sameRecord: return ("the survivor and the duplicate are the same record", "保留的记录和重复的记录是同一条")
        case .bothMustExist: return ("both records must exist and not be deleted", "两条记录都必须存在且未被删除")
        case .noFieldToMerge: return ("{entity} has no field '{field}' to merge", "{entity} 没有可合并的字段 '{field}'")
        case .valueMustComeFrom: return ("the value of {field} must come from {survivor} or {duplicate}, not {record}", "{field} 的值必须来自 {survivor} 或 {duplicate}，而不是 {record}")
        case .noAccount: return ("no account {id}", "没有客户 {id}")
        case .adjustmentNeedsReason: return ("an adjustment needs a reason", "积分调整需要原因")
        case .importRecord: return ("record {index} ({entity}/{id}): {reason}", "第 {index} 条记录（{entity}/{id}）：{reason}")
        case .reason: return ("{reason}", "{reason}")

        case .deviceWithoutUser: return ("device {replica} belongs to no user", "设备 {replica} 不属于任何用户")
        case .storedRole: return ("stored user has unknown role '{role}'", "存储的用户角色 '{role}' 未知")
        case .storedReplica: return ("stored device has an invalid replica id '{replica}'", "存储的设备副本 id '{replica}' 无效")
        case .statementDialect: return ("a statement has no {dialect} text: {sql}", "语句没有 {dialect} 版本：{sql}")
        case .columnValue: return ("unexpected column value {value}", "意外的列值 {value}")
        case .resolutionDidNotSettle: return ("the resolution did not settle conflict {id}; nothing was written", "该处理没有解决冲突 {id}；未写入任何内容")
        case .storedConflict: return ("stored conflict has unknown kind '{kind}' or status '{status}'", "存储的冲突种类 '{kind}' 或状态 '{status}' 未知")
        case .ownWriteUnmerged: return ("the server could not merge its own write", "服务器无法合并自己的写入")
        case .ownWriteUnmergedRecord: return ("the server could not merge its own write to {entity} {id}", "服务器无法合并自己对 {entity} {id} 的写入")
        case .logAction: return ("unknown log action '{action}'", "未知的日志操作 '{action}'")
        case .groupedWriteLost: return ("a grouped write finished without a result", "合并提交的写入结束时没有结果")
        case .noReplicaIdentity: return ("the server store has no replica identity", "服务器数据库没有副本标识")
        case .deviceStoreNotServerStore: return ("{path} is a FieldSync device store (made by `fieldsync`), not a server store; give fieldsync-server a file of its own with --db or FIELDSYNC_SERVER_DB", "{path} 是 FieldSync 设备数据库（由 `fieldsync` 创建），不是服务器数据库；请用 --db 或 FIELDSYNC_SERVER_DB 给 fieldsync-server 指定单独的文件")
        case .unexpectedStoredType: return ("the server store holds a value of an unexpected type", "服务器数据库中有类型意外的值")
        case .logLimitUnreadable: return ("the log's published limit could not be read", "无法读取日志已发布的上限")
        case .postgresURL: return ("the PostgreSQL URL must look like postgres://user:password@host:port/database", "PostgreSQL URL 的格式必须是 postgres://user:password@host:port/database")
        case .postgresSSLMode: return ("sslmode must be disable or prefer", "sslmode 必须是 disable 或 prefer")
        case .admissionNoRow: return ("the admission query returned no row", "准入查询没有返回任何行")
        case .logNoSequence: return ("the change log did not return a sequence", "变更日志没有返回序号")
        case .storageResultCount: return ("the storage returned {stored} results for {changes} changes", "存储为 {changes} 个变更返回了 {stored} 个结果")
        case .stoppedBeforeListening: return ("the server stopped before it listened", "服务器在开始监听前就停止了")
        case .adminTemplateMissing: return ("the admin page template '{template}' is missing", "缺少管理页面模板 '{template}'")
        case .adminFormType: return ("the admin page posts forms as application/x-www-form-urlencoded", "管理页面以 application/x-www-form-urlencoded 提交表单")
        }
    }
}

extension ConflictStatus {
    /// The status as a word of messages.
    var word: ServerMessage {
        switch self {
        case .open: return .statusOpen
        case .resolvedByEdit: return .statusResolvedByEdit
        case .resolvedByAdmin: return .statusResolvedByAdmin
        case .dismissed: return .statusDismissed
        }
    }
}
