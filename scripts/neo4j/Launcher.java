// reachgraph's local Neo4j: Neo4j Community embedded through the documented
// DatabaseManagementServiceBuilder, with the Bolt connector on loopback and auth on.
// Run by `reachgraph neo4j start` as a Java single-file program on the class path Maven resolves
// from scripts/neo4j/pom.xml. Arguments: --home DIR --port N --password-file FILE [--pagecache BYTES]
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingImpl;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.config.Setting;

public class Launcher {
  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) a.put(argv[i], argv[i + 1]);
    Path home = Path.of(require(a, "--home"));
    int port = Integer.parseInt(require(a, "--port"));
    // The password travels in a 0600 file, never on the command line where `ps` would show it.
    String password = Files.readString(Path.of(require(a, "--password-file"))).trim();
    long pagecache = Long.parseLong(a.getOrDefault("--pagecache", String.valueOf(512L * 1024 * 1024)));

    // The graph is the only thing a query may read: Neo4j classifies LOAD CSV as a read, so the
    // read-only console could otherwise read the password and token files (file URLs) or make this
    // server fetch URLs (SSRF). File URLs are off, the import root is an empty folder of our own,
    // and every address is blocked for URL loads. docs/neo4j-hardening.md lists the same settings
    // for a server the user brings.
    Path importRoot = home.resolve("import-disabled");
    Files.createDirectories(importRoot);
    DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
        .setConfig(GraphDatabaseSettings.allow_file_urls, false)
        .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importRoot);
    setRaw(builder, GraphDatabaseInternalSettings.cypher_ip_blocklist, "0.0.0.0/0,::/0");
    DatabaseManagementService dbms = builder.build();
    Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "reachgraph-neo4j-shutdown"));

    try {
      dbms.database("system").executeTransactionally(
          "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
    } catch (RuntimeException e) {
      // Same password as before: nothing to change. Anything else is fatal.
      String m = String.valueOf(e.getMessage()) + String.valueOf(e.getCause());
      if (!m.contains("same")) throw e;
    }
    System.out.println("reachgraph-neo4j: bolt listening on 127.0.0.1:" + port);
    System.out.flush();
    Thread.currentThread().join();
  }

  /** Sets a setting from its text form, for settings whose value type is not on our class path's API. */
  @SuppressWarnings("unchecked")
  private static <T> void setRaw(DatabaseManagementServiceBuilder b, Setting<T> s, String value) {
    b.setConfig(s, ((SettingImpl<T>) s).parse(value));
  }

  private static String require(Map<String, String> a, String k) {
    String v = a.get(k);
    if (v == null) {
      System.err.println("reachgraph-neo4j: missing " + k);
      System.exit(2);
    }
    return v;
  }
}
