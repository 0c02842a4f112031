import CRM

/// The help of `fieldsync-server` in English and Chinese: every command's and subcommand's
/// abstract and discussion, every argument's and option's help. Commands read them in their
/// `static let configuration` and `help:` arguments, which swift-argument-parser evaluates when
/// it runs, in the command line's language (`Language.commandLine`); the parser's own words
/// are translated by `ParserText`, as for `fieldsync`.
enum ServerCLIHelp: String, Catalogue {
    case root, rootDiscussion, database, postgresURL, compactionHorizon, compact, noVacuum
    case serve, host, port, logLevel, maxRequestBytes, maxClockSkew, rateLimit, rateBurst, compactionInterval
    case headerTimeout, bodyTimeout, idleTimeout, maxConnections, maxBufferedBytes, maxUnauthenticatedBytes
    case shutdownGrace, expensiveReads, expensiveReadQueue, maxWatchers, watchPing
    case user, userAdd, newUserName, userName, role, addTerritory, addTeam, userCode, userList
    case userSet, setTerritory, setTeam, noTeam
    case territory, territoryDiscussion, territoryAdd, territoryAddDiscussion, territoryTitle, territoryCode
    case territoryList, territoryRemove, territoryRemoveArgument
    case device, deviceList, replica, revoke, reassign, reassignUser, wipe
    case importAbstract, importDiscussion, importFile, dump

    var texts: (english: String, chinese: String) {
        switch self {
        case .root: return ("The FieldSync sync server and its admin commands.", "FieldSync 同步服务器及其管理命令。")
        case .rootDiscussion:
            return (
                "Messages and help are in Chinese when LC_ALL, LC_MESSAGES or LANG asks for it (LANG=zh_CN.UTF-8); JSON, the `listening on URL` line and the tab-separated lists stay as scripts read them.",
                "LC_ALL、LC_MESSAGES 或 LANG 要求中文时（LANG=zh_CN.UTF-8），消息和帮助都用中文；JSON、`listening on URL` 这一行和以制表符分隔的列表保持不变，供脚本读取。"
            )
        case .database: return ("Path of the SQLite store (env FIELDSYNC_SERVER_DB).", "SQLite 存储的路径（环境变量 FIELDSYNC_SERVER_DB）。")
        case .postgresURL:
            return (
                "Use this PostgreSQL database instead of SQLite: postgres://user:password@host:port/database (env FIELDSYNC_POSTGRES_URL).",
                "改用这个 PostgreSQL 数据库而不用 SQLite：postgres://user:password@host:port/database（环境变量 FIELDSYNC_POSTGRES_URL）。"
            )
        case .compactionHorizon:
            return (
                "Devices not seen for this long (e.g. 30d, 12h) stop holding back log compaction and bootstrap again if they fall behind (env FIELDSYNC_COMPACTION_HORIZON, default 30d).",
                "超过这么久（如 30d、12h）没有出现的设备不再阻止日志压缩，落后时重新初始化（环境变量 FIELDSYNC_COMPACTION_HORIZON，默认 30d）。"
            )
        case .compact:
            return (
                "Drop log entries every active device has passed and no record still shows, then VACUUM.",
                "删除所有活跃设备都已越过、且没有记录还在显示的日志条目，然后执行 VACUUM。"
            )
        case .noVacuum: return ("Skip the VACUUM that returns freed pages to the file system.", "跳过把释放的页归还给文件系统的 VACUUM。")
        case .serve: return ("Run the sync server until SIGTERM or SIGINT.", "运行同步服务器，直到收到 SIGTERM 或 SIGINT。")
        case .host: return ("Address to bind (env FIELDSYNC_HOST, default 127.0.0.1).", "绑定的地址（环境变量 FIELDSYNC_HOST，默认 127.0.0.1）。")
        case .port: return ("Port; 0 picks a free one (env FIELDSYNC_PORT, default 8080).", "端口；0 表示任选一个空闲端口（环境变量 FIELDSYNC_PORT，默认 8080）。")
        case .logLevel:
            return (
                "trace, debug, info, notice, warning, error or critical (env FIELDSYNC_LOG_LEVEL).",
                "日志级别：trace、debug、info、notice、warning、error 或 critical（环境变量 FIELDSYNC_LOG_LEVEL）。"
            )
        case .maxRequestBytes:
            return (
                "Largest request body in bytes, as sent and decoded (env FIELDSYNC_MAX_REQUEST_BYTES).",
                "请求体的最大字节数，按发送的和解码后的分别计（环境变量 FIELDSYNC_MAX_REQUEST_BYTES）。"
            )
        case .maxClockSkew:
            return (
                "Seconds a change may be stamped ahead of the server clock (env FIELDSYNC_MAX_CLOCK_SKEW).",
                "修改的时间戳最多可以比服务器时钟超前的秒数（环境变量 FIELDSYNC_MAX_CLOCK_SKEW）。"
            )
        case .rateLimit:
            return (
                "Requests per second each device may sustain; 0 turns rate limiting off (env FIELDSYNC_RATE_LIMIT, default 20).",
                "每台设备每秒可持续发送的请求数；0 表示不限流（环境变量 FIELDSYNC_RATE_LIMIT，默认 20）。"
            )
        case .rateBurst:
            return ("Requests a device may send in a burst (env FIELDSYNC_RATE_BURST, default 200).", "一台设备可以突发发送的请求数（环境变量 FIELDSYNC_RATE_BURST，默认 200）。")
        case .compactionInterval:
            return (
                "How often to compact the log, e.g. 1h; 0 turns it off (env FIELDSYNC_COMPACTION_INTERVAL, default 1h).",
                "压缩日志的间隔，如 1h；0 表示不压缩（环境变量 FIELDSYNC_COMPACTION_INTERVAL，默认 1h）。"
            )
        case .headerTimeout:
            return (
                "Seconds a client may take to send a request's head, from its first byte (env FIELDSYNC_HEADER_TIMEOUT, default 10).",
                "客户端从第一个字节起发送请求头可用的秒数（环境变量 FIELDSYNC_HEADER_TIMEOUT，默认 10）。"
            )
        case .bodyTimeout:
            return (
                "Seconds a client may take to send a request's body, from the end of its head (env FIELDSYNC_BODY_TIMEOUT, default 60).",
                "客户端从请求头结束起发送请求体可用的秒数（环境变量 FIELDSYNC_BODY_TIMEOUT，默认 60）。"
            )
        case .idleTimeout:
            return (
                "Seconds a connection may stay open with no request (env FIELDSYNC_IDLE_TIMEOUT, default 75).",
                "连接没有请求时可以保持打开的秒数（环境变量 FIELDSYNC_IDLE_TIMEOUT，默认 75）。"
            )
        case .maxConnections:
            return (
                "Most connections served at once; kept below the open-file limit (env FIELDSYNC_MAX_CONNECTIONS, default 10000).",
                "同时服务的最大连接数，保持在打开文件数上限以下（环境变量 FIELDSYNC_MAX_CONNECTIONS，默认 10000）。"
            )
        case .maxBufferedBytes:
            return (
                "Most request body bytes held at once by all requests being received (env FIELDSYNC_MAX_BUFFERED_BYTES, default 256 MiB).",
                "所有正在接收的请求同时占用的请求体字节数上限（环境变量 FIELDSYNC_MAX_BUFFERED_BYTES，默认 256 MiB）。"
            )
        case .maxUnauthenticatedBytes:
            return (
                "Largest body of an endpoint that reads it before authentication: enroll, admin sign-in (env FIELDSYNC_MAX_UNAUTHENTICATED_BYTES, default 64 KiB).",
                "在认证之前读取请求体的端点（注册、管理员登录）的最大请求体（环境变量 FIELDSYNC_MAX_UNAUTHENTICATED_BYTES，默认 64 KiB）。"
            )
        case .shutdownGrace:
            return (
                "Seconds SIGTERM lets in-flight requests finish before they are cancelled (env FIELDSYNC_SHUTDOWN_GRACE, default 10).",
                "收到 SIGTERM 后留给进行中的请求完成的秒数，超时即取消（环境变量 FIELDSYNC_SHUTDOWN_GRACE，默认 10）。"
            )
        case .expensiveReads:
            return (
                "Reports, conflict lists and histories computed at once (env FIELDSYNC_EXPENSIVE_READS, default 1).",
                "同时计算的报表、冲突列表和历史的个数（环境变量 FIELDSYNC_EXPENSIVE_READS，默认 1）。"
            )
        case .expensiveReadQueue:
            return (
                "Expensive reads that may wait for a turn; more get 503 server_busy (env FIELDSYNC_EXPENSIVE_READ_QUEUE, default 32).",
                "可以排队等候的开销大的读取个数；更多的得到 503 server_busy（环境变量 FIELDSYNC_EXPENSIVE_READ_QUEUE，默认 32）。"
            )
        case .maxWatchers:
            return (
                "Devices that may watch for news at once (GET /v1/watch, `fieldsync sync --watch`), each holding a connection; more get 503 server_busy and poll; 0 turns watching off (env FIELDSYNC_MAX_WATCHERS, default 5000).",
                "可以同时等待新消息的设备数（GET /v1/watch，`fieldsync sync --watch`），每台占用一个连接；更多的得到 503 server_busy 并改为定时同步；0 表示关闭（环境变量 FIELDSYNC_MAX_WATCHERS，默认 5000）。"
            )
        case .watchPing:
            return (
                "Seconds between pings on a watch stream; a revoked device's stream ends at the next one (env FIELDSYNC_WATCH_PING, default 15).",
                "等待新消息的连接上两次 ping 之间的秒数；被吊销的设备在下一次 ping 时断开（环境变量 FIELDSYNC_WATCH_PING，默认 15）。"
            )
        case .user: return ("Create users and issue enrollment codes.", "新建用户并发放注册码。")
        case .userAdd: return ("Create a user and print their one-time enrollment code.", "新建用户并打印其一次性注册码。")
        case .newUserName: return ("User name (a-z, 0-9, '.', '_', '-').", "用户名（a-z、0-9、'.'、'_'、'-'）。")
        case .userName: return ("User name.", "用户名。")
        case .role: return ("rep, manager or admin.", "角色：rep、manager 或 admin。")
        case .addTerritory:
            return (
                "A territory the user works in, by key or title (see `territory list`); repeat for several.",
                "用户负责的区域，用代码或名称指定（见 `territory list`）；多个时重复给出。"
            )
        case .addTeam:
            return (
                "For a manager: a user whose territories the manager also sees; repeat for several.",
                "仅用于经理：经理也能看到其区域的用户；多个时重复给出。"
            )
        case .userCode:
            return (
                "Issue a new one-time code for a user: it enrolls a device, or signs an admin in on the admin page (/admin).",
                "为用户发放新的一次性代码：用它注册设备，或让管理员登录管理页面（/admin）。"
            )
        case .userList: return ("List users.", "列出用户。")
        case .userSet:
            return ("Replace a user's territories and team; their devices resync on their next sync.", "替换用户的区域和团队；其设备在下次同步时重新同步。")
        case .setTerritory: return ("The new territories (replace the old ones); repeat for several.", "新的区域（替换原有的）；多个时重复给出。")
        case .setTeam: return ("The new team of a manager (replaces the old one); repeat for several.", "经理的新团队（替换原有的）；多个时重复给出。")
        case .noTeam: return ("Empty the manager's team.", "清空经理的团队。")
        case .territory: return ("Manage the list of sales territories (devices learn it when they sync).", "管理销售区域列表（设备在同步时得知）。")
        case .territoryDiscussion:
            return (
                "Once the list holds a territory, users (user add, user set) and device edits take only territories on it, by key or title.",
                "列表中一旦有区域，用户（user add、user set）和设备上的编辑就只接受列表中的区域，用代码或名称指定。"
            )
        case .territoryAdd: return ("Add a territory, or retitle one with the same code.", "添加区域，或修改同一代码的区域的名称。")
        case .territoryAddDiscussion: return ("Example: fieldsync-server territory add 华东 --code east", "示例：`fieldsync-server territory add 华东 --code east`")
        case .territoryTitle: return ("The title people read, e.g. 华东.", "人们看到的名称，如 华东。")
        case .territoryCode:
            return ("The key records store in their territory field, e.g. east (default: the title).", "记录在区域字段中保存的代码，如 east（默认为名称）。")
        case .territoryList: return ("List the territories: code and title, one a line.", "列出区域：每行一个，代码和名称。")
        case .territoryRemove: return ("Remove a territory no user works in and no account belongs to.", "删除没有用户负责、也没有客户属于的区域。")
        case .territoryRemoveArgument: return ("The territory's code or title.", "区域的代码或名称。")
        case .device: return ("List, revoke, reassign and wipe enrolled devices.", "列出、吊销、转移和擦除已注册的设备。")
        case .deviceList: return ("List enrolled devices.", "列出已注册的设备。")
        case .replica: return ("The device's replica id (see `device list`).", "设备的副本 id（见 `device list`）。")
        case .revoke: return ("Revoke a device: its token stops working at once.", "吊销设备：其令牌立即失效。")
        case .reassign:
            return (
                "Move a revoked device to another user: that user's next enrollment code re-enrolls it, and it pushes its unsynced changes as theirs.",
                "把已吊销的设备转给另一个用户：该用户的下一个注册码重新注册它，它未同步的修改以该用户的名义推送。"
            )
        case .reassignUser: return ("The user the device moves to.", "设备转给的用户。")
        case .wipe:
            return (
                "Wipe a lost or stolen device: nothing more is accepted from it, and on its next contact it deletes its local store.",
                "擦除丢失或被盗的设备：不再接受它的任何内容，它下次联系服务器时删除本地数据库。"
            )
        case .importAbstract:
            return (
                "Write records as the server replica (reference data such as products and campaigns).",
                "以服务器副本的身份写入记录（产品、营销活动等参考数据）。"
            )
        case .importDiscussion:
            return (
                """
                FILE holds {"records": [{"entity": "product", "id": "<uuid>", "fields": {"sku": "P-1", …}}]}.
                Registers take a JSON value, sets an array of strings, counters an integer total.
                The writes enter the log like any change, so devices receive them on their next sync.
                """,
                """
                FILE 的内容形如：
                `{"records": [{"entity": "product", "id": "<uuid>", "fields": {…}}]}`
                寄存器字段取 JSON 值，集合字段取字符串数组，计数器字段取整数总数。
                写入和其他修改一样进入日志，设备在下次同步时收到。
                """
            )
        case .importFile: return ("The JSON file to import.", "要导入的 JSON 文件。")
        case .dump: return ("Print every record's merge state as canonical JSON.", "以规范 JSON 打印每条记录的合并状态。")
        }
    }
}

/// What `fieldsync-server` prints for people, and its commands' usage errors, in English and
/// Chinese. Machine-read output is not here: JSON, the `listening on URL` line, and the
/// tab-separated `user list`, `device list` and `territory list`.
enum ServerCLIString: String, Catalogue {
    case created, createdTeam, enrollmentCode, userUpdated, updatedTeam
    case revoked, reassigned, wiped, cannotRead, addedTerritories, imported
    case territoryAdded, territoryRetitled, territoryRemoved
    case roleChoices, teamForManagers, territoryNeedsTitle, codeTooLong, giveScope, teamExcludes

    var texts: (english: String, chinese: String) {
        switch self {
        case .created: return ("created {role} {name} (territories: {territories}{team})", "已新建 {role} {name}（区域：{territories}{team}）")
        case .createdTeam: return ("; team: {team}", "；团队：{team}")
        case .enrollmentCode: return ("enrollment code: {code}", "注册码：{code}")
        case .userUpdated: return ("{name}: territories {territories}{team}", "{name}：区域 {territories}{team}")
        case .updatedTeam: return ("; team {team}", "；团队 {team}")
        case .revoked: return ("revoked {replica}", "已吊销 {replica}")
        case .reassigned:
            return (
                "reassigned {replica} to {user}; it stays revoked until it enrolls with a new code of {user} (`user code {user}`)",
                "已把 {replica} 转给 {user}；用 {user} 的新注册码注册之前它仍是吊销状态（`user code {user}`）"
            )
        case .wiped:
            return (
                "wiped {replica}: its next request is refused with device_wiped and it deletes its local store",
                "已擦除 {replica}：它的下一个请求将以 device_wiped 被拒绝，它会删除本地数据库"
            )
        case .cannotRead: return ("cannot read {file}: {reason}", "无法读取 {file}：{reason}")
        case .addedTerritories: return ("added {count} territories to the list", "已向列表添加 {count} 个区域")
        case .imported: return ("imported {count} records: {written} written, {unchanged} unchanged", "已导入 {count} 条记录：写入 {written} 条，未变 {unchanged} 条")
        case .territoryAdded: return ("added territory {code} ({title})", "已添加区域 {code}（{title}）")
        case .territoryRetitled: return ("retitled territory {code} ({title})", "已修改区域名称 {code}（{title}）")
        case .territoryRemoved: return ("removed territory {territory}", "已删除区域 {territory}")
        case .roleChoices: return ("--role must be one of {roles}", "--role 只能是 {roles} 之一")
        case .teamForManagers: return ("--team is for managers only", "--team 只用于经理")
        case .territoryNeedsTitle: return ("a territory needs a title and a code", "区域需要名称和代码")
        case .codeTooLong: return ("--code must be at most 64 characters, without commas", "--code 最多 64 个字符，且不能含逗号")
        case .giveScope: return ("give --territory, --team or --no-team", "请给出 --territory、--team 或 --no-team")
        case .teamExcludes: return ("--team and --no-team exclude each other", "--team 和 --no-team 不能同时给出")
        }
    }
}
