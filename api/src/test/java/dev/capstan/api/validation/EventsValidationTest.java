package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.NAME_PART_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EventsValidationTest {

    private static final String EVENT = "{\"metadata\":{\"name\":\"web.1\",\"namespace\":\"default\"},"
            + "\"eventTime\":\"2024-01-01T00:00:00.000000Z\",\"reportingController\":\"example.com/scaler\","
            + "\"reportingInstance\":\"scaler-1\",\"action\":\"Scale\",\"reason\":\"Scaled\",\"regarding\":{\"kind\":"
            + "\"Deployment\",\"namespace\":\"default\",\"name\":\"web\"},\"note\":\"scaled up\",\"type\":\"Normal\"}";

    static ObjectNode event() {
        return obj(EVENT);
    }

    @Test
    void aWellFormedEventIsValid() {
        assertThat(EventsValidation.validateEvent(event())).isEmpty();
        assertThat(EventsValidation.validateEventUpdate(event(), event())).isEmpty();
    }

    @Test
    void strictFieldsOfTheEventsApi() {
        ObjectNode e = event();
        e.remove("eventTime");
        e.put("type", "Bad");
        e.put("deprecatedCount", 3);
        e.put("deprecatedFirstTimestamp", "2024-01-01T00:00:00Z");
        e.putObject("deprecatedSource").put("component", "kubelet");
        assertThat(EventsValidation.validateEvent(e))
                .containsExactly(
                        cause("FieldValueRequired", "eventTime", "Required value"),
                        cause("FieldValueInvalid", "type", "Invalid value: \"\": has invalid value: Bad"),
                        cause("FieldValueInvalid", "firstTimestamp", "Invalid value: \"\": needs to be unset"),
                        cause("FieldValueInvalid", "count", "Invalid value: \"\": needs to be unset"),
                        cause("FieldValueInvalid", "source", "Invalid value: \"\": needs to be unset"));
    }

    @Test
    void reportingFieldsAndLimits() {
        ObjectNode e = event();
        e.put("reportingController", "a b");
        e.put("reportingInstance", "");
        e.put("action", "a".repeat(129));
        e.put("reason", "");
        e.put("note", "n".repeat(1025));
        ((ObjectNode) e.get("regarding")).remove("namespace");
        ((ObjectNode) e.get("metadata")).put("namespace", "prod");
        assertThat(EventsValidation.validateEvent(e))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "involvedObject.namespace",
                                "Invalid value: \"\": does not match event.namespace"),
                        cause("FieldValueInvalid", "reportingController", "Invalid value: \"a b\": " + NAME_PART_MSG),
                        cause("FieldValueRequired", "reportingInstance", "Required value"),
                        cause("FieldValueInvalid", "action", "Invalid value: \"\": can have at most 128 characters"),
                        cause("FieldValueRequired", "reason", "Required value"),
                        cause("FieldValueInvalid", "message", "Invalid value: \"\": can have at most 1024 characters"));
    }

    @Test
    void seriesNeedsTwoObservationsAndATime() {
        ObjectNode e = event();
        e.putObject("series").put("count", 1);
        assertThat(EventsValidation.validateEvent(e))
                .containsExactly(
                        cause("FieldValueInvalid", "series.count", "Invalid value: \"\": should be at least 2"),
                        cause("FieldValueRequired", "series.lastObservedTime", "Required value"));
    }

    @Test
    void onlyTheSeriesMayChange() {
        ObjectNode old = event();
        ObjectNode now = event();
        now.putObject("series").put("count", 3).put("lastObservedTime", "2024-01-01T00:05:00.000000Z");
        assertThat(EventsValidation.validateEventUpdate(now, old)).isEmpty();
        now.put("note", "other");
        now.put("reason", "Other");
        now.put("eventTime", "2024-01-01T00:00:01.5Z");
        ((ObjectNode) now.get("regarding")).put("name", "api");
        now.putObject("related").put("kind", "Pod").put("name", "p");
        assertThat(EventsValidation.validateEventUpdate(now, old))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "involvedObject",
                                "Invalid value: core.ObjectReference{Kind:\"Deployment\", Namespace:\"default\","
                                        + " Name:\"api\", UID:\"\", APIVersion:\"\", ResourceVersion:\"\","
                                        + " FieldPath:\"\"}: field is immutable"),
                        cause("FieldValueInvalid", "reason", "Invalid value: \"Other\": field is immutable"),
                        cause("FieldValueInvalid", "message", "Invalid value: \"other\": field is immutable"),
                        cause("FieldValueInvalid", "reason", "Invalid value: \"Other\": field is immutable"),
                        cause(
                                "FieldValueInvalid",
                                "eventTime",
                                "Invalid value: 2024-01-01 00:00:01.5 +0000 UTC: field is immutable"),
                        cause(
                                "FieldValueInvalid",
                                "related",
                                "Invalid value: core.ObjectReference{Kind:\"Pod\", Namespace:\"\", Name:\"p\","
                                        + " UID:\"\", APIVersion:\"\", ResourceVersion:\"\", FieldPath:\"\"}: field is"
                                        + " immutable"));
    }

    @Test
    void droppingRelatedShowsNil() {
        ObjectNode old = event();
        old.putObject("related").put("kind", "Pod");
        assertThat(EventsValidation.validateEventUpdate(event(), old))
                .containsExactly(cause("FieldValueInvalid", "related", "Invalid value: \"null\": field is immutable"));
    }
}
