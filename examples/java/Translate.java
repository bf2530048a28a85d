// Translate asks a running errbridge server to translate one upstream Tencent
// Meeting response, over gRPC, and prints the result as one line of JSON: the
// Java twin of examples/node/translate.mjs and examples/python/translate.py,
// with the same flags and the same line, byte for byte. It reads the answer
// from the google.protobuf.Any details of the google.rpc.Status, unpacked
// into the generated gen/java classes, not from the response's convenience
// fields.
//
// examples/java/translate compiles it with javac against Debian's jars
// (libgrpc-java 1.41.3, libprotobuf-java 3.21.12, the netty jars) and runs it:
//
//   examples/java/translate --addr 127.0.0.1:50051 --http-status 500 \
//     --body '{"error_info":{"error_code":9003,"message":"MEETING NOT EXIST"}}'
//
// A failed call exits 1 with the gRPC code and message on stderr; bad flags
// exit 2.

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.LocalizedMessage;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.errbridge.v1.ApiFamily;
import dev.errbridge.v1.TranslateRequest;
import dev.errbridge.v1.TranslateResponse;
import dev.errbridge.v1.TranslatorServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

public final class Translate {
  private static final String USAGE =
      "usage: examples/java/translate [--addr HOST:PORT] --http-status N "
          + "[--body TEXT] [--locale TAG] [--method VERB] [--family rest|oauth]";

  private static final long TIMEOUT_SECONDS = 10;

  private Translate() {}

  /** Flags holds the parsed command line. */
  private static final class Flags {
    String addr = "localhost:50051";
    Integer httpStatus;
    String body = "";
    String locale = "";
    String method = "";
    ApiFamily family = ApiFamily.API_FAMILY_UNSPECIFIED;
  }

  /** UsageError is a bad command line: exit 2 with the usage. */
  private static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }

  public static void main(String[] args) throws Exception {
    // UTF-8 whatever the locale says, like node and python print.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    Flags flags;
    try {
      checkDecoded(args);
      flags = parseFlags(args);
    } catch (UsageError e) {
      err.println("translate: " + e.getMessage());
      err.println(USAGE);
      System.exit(2);
      return;
    }
    if (flags == null) {
      out.println(USAGE);
      return;
    }
    TranslateRequest request =
        TranslateRequest.newBuilder()
            .setHttpStatus(flags.httpStatus)
            .setBody(ByteString.copyFromUtf8(flags.body))
            .setLocale(flags.locale)
            .setMethod(flags.method)
            .setFamily(flags.family)
            .build();
    ManagedChannel channel = ManagedChannelBuilder.forTarget(flags.addr).usePlaintext().build();
    TranslateResponse response = null;
    try {
      response =
          TranslatorServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .translate(request);
    } catch (StatusRuntimeException e) {
      String message = e.getStatus().getDescription();
      err.println(
          "translate: Translate on " + flags.addr + " failed: " + e.getStatus().getCode().name()
              + ": " + (message == null ? "" : message));
    } finally {
      channel.shutdownNow().awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    if (response == null) {
      System.exit(1);
    }
    out.println(summarize(response.getStatus()));
  }

  /**
   * checkDecoded refuses a command line the JVM could not decode: under a C or POSIX locale it
   * reads non-ASCII bytes as U+FFFD, and the body sent would not be the one given.
   */
  private static void checkDecoded(String[] args) throws UsageError {
    String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
    if (charset.equalsIgnoreCase("UTF-8")) {
      return;
    }
    for (String arg : args) {
      if (arg.indexOf('\uFFFD') >= 0) {
        throw new UsageError(
            "the command line was read as " + charset + ", not UTF-8: run with LC_ALL=C.UTF-8"
                + " (examples/java/translate does)");
      }
    }
  }

  /** parseFlags reads the command line; it returns null for --help. */
  private static Flags parseFlags(String[] args) throws UsageError {
    Flags flags = new Flags();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (name.equals("--help") || name.equals("-h")) {
        return null;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new UsageError(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--addr":
          flags.addr = value;
          break;
        case "--http-status":
          try {
            flags.httpStatus = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new UsageError("--http-status: not an integer: " + value);
          }
          break;
        case "--body":
          flags.body = value;
          break;
        case "--locale":
          flags.locale = value;
          break;
        case "--method":
          flags.method = value;
          break;
        case "--family":
          switch (value.toLowerCase(Locale.ROOT)) {
            case "rest":
              flags.family = ApiFamily.API_FAMILY_REST;
              break;
            case "oauth":
              flags.family = ApiFamily.API_FAMILY_OAUTH;
              break;
            default:
              throw new UsageError("--family must be rest or oauth, not " + value);
          }
          break;
        default:
          throw new UsageError("unknown flag " + name);
      }
    }
    if (flags.httpStatus == null) {
      throw new UsageError("--http-status is required");
    }
    return flags;
  }

  /**
   * summarize reads a google.rpc.Status the way any gRPC client can: the code, then each Any
   * detail unpacked into its generated class. It returns the JSON line, keys in the order the
   * node and python examples print them.
   */
  static String summarize(Status status) throws InvalidProtocolBufferException {
    String reason = null;
    String domain = null;
    String errorCode = null;
    String retryDelaySeconds = null;
    String localizedMessage = null;
    String locale = null;
    List<String> details = new ArrayList<>();
    for (Any any : status.getDetailsList()) {
      String typeUrl = any.getTypeUrl();
      details.add(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
      if (any.is(ErrorInfo.class)) {
        ErrorInfo info = any.unpack(ErrorInfo.class);
        if (reason == null) {
          reason = info.getReason();
          domain = info.getDomain();
          errorCode = info.getMetadataOrDefault("errorCode", null);
        }
      } else if (any.is(RetryInfo.class)) {
        RetryInfo retry = any.unpack(RetryInfo.class);
        if (retryDelaySeconds == null && retry.hasRetryDelay()) {
          retryDelaySeconds = seconds(retry.getRetryDelay());
        }
      } else if (any.is(LocalizedMessage.class)) {
        LocalizedMessage message = any.unpack(LocalizedMessage.class);
        if (localizedMessage == null) {
          localizedMessage = message.getMessage();
          locale = message.getLocale();
        }
      }
      // QuotaFailure, RequestInfo, Help and unknown types: named only.
    }
    Code code = Code.forNumber(status.getCode());
    StringBuilder b = new StringBuilder();
    b.append("{\"grpcCode\":").append(status.getCode());
    b.append(",\"grpcCodeName\":").append(quote(code == null ? "UNKNOWN" : code.name()));
    b.append(",\"reason\":").append(quote(reason));
    b.append(",\"domain\":").append(quote(domain));
    b.append(",\"errorCode\":").append(quote(errorCode));
    b.append(",\"retryDelaySeconds\":").append(retryDelaySeconds == null ? "null" : retryDelaySeconds);
    b.append(",\"localizedMessage\":").append(quote(localizedMessage));
    b.append(",\"locale\":").append(quote(locale));
    b.append(",\"details\":[");
    for (int i = 0; i < details.size(); i++) {
      b.append(i == 0 ? "" : ",").append(quote(details.get(i)));
    }
    return b.append("]}").toString();
  }

  /**
   * seconds prints a Duration as JavaScript prints seconds + nanos / 1e9: an integer when whole,
   * else the shortest decimal that reads back as the same double.
   */
  static String seconds(Duration d) {
    if (d.getNanos() == 0) {
      return Long.toString(d.getSeconds());
    }
    double v = d.getSeconds() + d.getNanos() / 1e9;
    BigDecimal exact = new BigDecimal(v);
    for (int digits = 1; digits < 17; digits++) {
      BigDecimal shortest = exact.round(new MathContext(digits));
      if (shortest.doubleValue() == v) {
        return shortest.stripTrailingZeros().toPlainString();
      }
    }
    return exact.round(new MathContext(17)).stripTrailingZeros().toPlainString();
  }

  /** quote writes s as a JSON string the way JSON.stringify does, or null. */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }
}
