package dev.lifeboat.mcp.transport;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonAppend;
import tools.jackson.databind.cfg.ContextAttributes;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.BeanPropertyDefinition;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.ser.VirtualBeanPropertyWriter;

/**
 * The SDK's JSON mapper, writing what the tasks utility adds to two of its records: the server's
 * {@code capabilities.tasks} in the initialize result, and a task-capable tool's {@code
 * execution.taskSupport} in {@code tools/list}. The SDK's records have neither field (SDK 2.2.0 does not
 * implement tasks); a mapper is what both of its transports and Lifeboat's stdio transport write every
 * message with, so this is the one place that reaches all of them.
 */
public final class TaskJson {
    private static final String TASK_TOOLS = "lifeboat.taskTools";

    /** What the server offers: listing and cancelling tasks, and task-augmented tool calls. */
    static final Map<String, Object> CAPABILITY =
            Map.of("list", Map.of(), "cancel", Map.of(), "requests", Map.of("tools", Map.of("call", Map.of())));

    private TaskJson() {}

    /** The SDK's default mapper, also writing the task fields for the tools named (none: as the SDK's). */
    public static McpJsonMapper mapper(Set<String> taskTools) {
        McpJsonMapper defaults = McpJsonDefaults.getMapper();
        if (taskTools.isEmpty() || !(defaults instanceof JacksonMcpJsonMapper jackson)) {
            return defaults;
        }
        JsonMapper mapper = jackson.getJsonMapper()
                .rebuild()
                .addMixIn(McpSchema.ServerCapabilities.class, CapabilitiesMixIn.class)
                .addMixIn(McpSchema.Tool.class, ToolMixIn.class)
                .defaultAttributes(ContextAttributes.getEmpty().withSharedAttribute(TASK_TOOLS, Set.copyOf(taskTools)))
                .build();
        return new JacksonMcpJsonMapper(mapper);
    }

    @JsonAppend(props = @JsonAppend.Prop(value = TasksCapability.class, name = "tasks", type = Map.class))
    abstract static class CapabilitiesMixIn {}

    @JsonAppend(props = @JsonAppend.Prop(value = ToolExecution.class, name = "execution", type = Map.class))
    abstract static class ToolMixIn {}

    /** {@code capabilities.tasks}, on a server that serves tools (the only requests it makes tasks of). */
    static final class TasksCapability extends VirtualBeanPropertyWriter {
        TasksCapability() {}

        private TasksCapability(BeanPropertyDefinition def, AnnotatedClass ctxt, JavaType type) {
            super(def, ctxt.getAnnotations(), type);
        }

        @Override
        protected Object value(Object bean, JsonGenerator g, SerializationContext ctxt) {
            return bean instanceof McpSchema.ServerCapabilities c && c.tools() != null ? CAPABILITY : null;
        }

        @Override
        public VirtualBeanPropertyWriter withConfig(
                MapperConfig<?> config, AnnotatedClass declaringClass, BeanPropertyDefinition def, JavaType type) {
            return new TasksCapability(def, declaringClass, type);
        }
    }

    /** {@code execution: {taskSupport: "optional"}} for a tool that can run as a task; nothing otherwise. */
    static final class ToolExecution extends VirtualBeanPropertyWriter {
        private static final Map<String, Object> OPTIONAL = Map.of("taskSupport", "optional");

        ToolExecution() {}

        private ToolExecution(BeanPropertyDefinition def, AnnotatedClass ctxt, JavaType type) {
            super(def, ctxt.getAnnotations(), type);
        }

        @Override
        protected Object value(Object bean, JsonGenerator g, SerializationContext ctxt) {
            return bean instanceof McpSchema.Tool t
                            && ctxt.getAttribute(TASK_TOOLS) instanceof Set<?> names
                            && names.contains(t.name())
                    ? OPTIONAL
                    : null;
        }

        @Override
        public VirtualBeanPropertyWriter withConfig(
                MapperConfig<?> config, AnnotatedClass declaringClass, BeanPropertyDefinition def, JavaType type) {
            return new ToolExecution(def, declaringClass, type);
        }
    }
}
