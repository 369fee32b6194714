// reachgraph's local Neo4j: Neo4j Community embedded through the documented
// DatabaseManagementServiceBuilder, with the Bolt connector on loopback and auth on.
// Run by `reachgraph neo4j start` as a Java single-file program on the class path Maven resolves
// from scripts/neo4j/pom.xml. Arguments: --home DIR --port N --password-file FILE [--pagecache BYTES]
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) a.put(argv[i], argv[i + 1]);
    Path home = Path.of(require(a, "--home"));
    int port = Integer.parseInt(require(a, "--port"));
    // The password travels in a 0600 file, never on the command line where `ps` would show it.
    String password = Files.readString(Path.of(require(a, "--password-file"))).trim();
    long pagecache = Long.parseLong(a.getOrDefault("--pagecache", String.valueOf(512L * 1024 * 1024)));

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.pagecache_memory, pagecache)
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
        .build();
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

  private static String require(Map<String, String> a, String k) {
    String v = a.get(k);
    if (v == null) {
      System.err.println("reachgraph-neo4j: missing " + k);
      System.exit(2);
    }
    return v;
  }
}
