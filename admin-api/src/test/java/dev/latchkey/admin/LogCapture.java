package dev.latchkey.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Captures every log line (including Jersey's and Grizzly's, bridged from JUL) for leak checks. */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;

    LogCapture() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(ctx);
        appender.start();
        root.addAppender(appender);
    }

    /** Returns every captured line: message, key-values, MDC and stack traces, as text. */
    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(appender.list)) {
            StringBuilder sb = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
            sb.append(' ').append(e.getMDCPropertyMap());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                sb.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                    sb.append(' ').append(s.getSTEAsString());
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
