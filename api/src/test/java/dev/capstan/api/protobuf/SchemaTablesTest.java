package dev.capstan.api.protobuf;

import static dev.capstan.api.protobuf.Bodies.body;
import static dev.capstan.api.protobuf.Bodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keeps the hand-listed kinds and the generated Go-JSON rules in step with the protobuf jar. */
class SchemaTablesTest {

    @Test
    void everyRegisteredKindDecodesItsEmptyObject() {
        assertThat(KindTable.all()).hasSizeGreaterThanOrEqualTo(40);
        KindTable.all()
                .forEach((type, prototype) -> assertThat(
                                ProtobufBodies.decode(body(type.apiVersion(), type.kind(), prototype)))
                        .isEqualTo(json(
                                "{\"kind\": \"" + type.kind() + "\", \"apiVersion\": \"" + type.apiVersion() + "\"}")));
    }

    @Test
    void everyRuleNamesAFieldOfTheRightShape() {
        Map<String, Descriptor> messages = messages();
        GoJsonRules rules = GoJsonRules.get();
        assertThat(rules.fieldNames()).hasSizeGreaterThan(300);
        for (String name : rules.fieldNames()) {
            int dot = name.lastIndexOf('.');
            Descriptor message = messages.get(name.substring(0, dot));
            assertThat(message).as("message of %s", name).isNotNull();
            FieldDescriptor field = message.findFieldByName(name.substring(dot + 1));
            assertThat(field).as(name).isNotNull();
            if (rules.keepsZero(field)) {
                assertThat(field.isRepeated() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
                        .as("keep applies to scalars: %s", name)
                        .isFalse();
            }
            if (rules.isInline(field)) {
                assertThat(!field.isRepeated() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
                        .as("inline applies to messages: %s", name)
                        .isTrue();
            }
        }
    }

    /** All messages of the registered kinds' .proto files and their imports. */
    private static Map<String, Descriptor> messages() {
        Set<FileDescriptor> files = new HashSet<>();
        Deque<FileDescriptor> pending = new ArrayDeque<>();
        for (Message prototype : KindTable.all().values()) {
            pending.add(prototype.getDescriptorForType().getFile());
        }
        while (!pending.isEmpty()) {
            FileDescriptor file = pending.pop();
            if (files.add(file)) {
                pending.addAll(file.getDependencies());
            }
        }
        Map<String, Descriptor> messages = new HashMap<>();
        for (FileDescriptor file : files) {
            for (Descriptor message : file.getMessageTypes()) {
                messages.put(message.getFullName(), message);
            }
        }
        return messages;
    }
}
