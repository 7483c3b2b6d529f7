package dev.capstan.api.patch;

import static dev.capstan.api.patch.TestSchema.apply;
import static dev.capstan.api.patch.TestSchema.failure;
import static dev.capstan.api.patch.TestSchema.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Objects: recursive merge, null deletion, {@code $patch} on a map and {@code $retainKeys}. Each case is named after
 * the upstream case (k8s.io/apimachinery v0.32.0, strategicpatch/patch_test.go) whose result it expects: "two-way"
 * applies the case's TwoWay patch to its Original, "three-way" its ThreeWay patch to its Current.
 */
class StrategicMergePatchMapTest {

    static Stream<Arguments> merges() {
        return Stream.of(
                // createStrategicMergePatchTestCaseData
                Arguments.of(
                        "add field to map (three-way)",
                        "{'name':1,'other':'a'}",
                        "{'value':1}",
                        "{'name':1,'value':1,'other':'a'}"),
                Arguments.of(
                        "add field and delete field from map (three-way)",
                        "{'name':1,'other':'a'}",
                        "{'name':null,'value':1}",
                        "{'value':1,'other':'a'}"),
                Arguments.of(
                        "delete field from nested map (three-way)",
                        "{'simpleMap':{'key1':1,'key2':1,'other':'a'}}",
                        "{'simpleMap':{'key2':null}}",
                        "{'simpleMap':{'key1':1,'other':'a'}}"),
                Arguments.of(
                        "delete all fields from map (three-way)",
                        "{'name':1,'value':1,'other':'a'}",
                        "{'name':null,'value':null}",
                        "{'other':'a'}"),
                Arguments.of(
                        "defined null values should propagate overwrite current fields (with conflict) (two-way)",
                        "{'name':2}",
                        "{'name':1,'value':1,'other':null}",
                        "{'name':1,'value':1}"),
                Arguments.of(
                        "defined null values should propagate removing original fields (three-way)",
                        "{'name':'original-name','value':'original-value','other':'current-other'}",
                        "{'name':'modified-name','value':null}",
                        "{'name':'modified-name','other':'current-other'}"),
                Arguments.of("nil patch (three-way)", "{'name':1}", "{}", "{'name':1}"),
                // TestUnknownField: fields without schema information merge as maps, and added values lose their nulls
                Arguments.of(
                        "TestUnknownField no diff even if modified null",
                        "{'array':[1,2,3],'complex':{'nested':true},'name':'foo','scalar':true}",
                        "{'complex_nullable':{'key':null}}",
                        "{'array':[1,2,3],'complex':{'nested':true},'complex_nullable':{},'name':'foo','scalar':true}"),
                Arguments.of(
                        "TestUnknownField discard nulls in nested and adds not nulls",
                        "{'name':'foo'}",
                        "{'complex_nullable':{'key':{'keynotnull':'value','keynull':null}}}",
                        "{'complex_nullable':{'key':{'keynotnull':'value'}},'name':'foo'}"),
                Arguments.of(
                        "TestUnknownField filter nulls from nested slices",
                        "{}",
                        "{'complex_nullable':[{'inner_one':{'key_one':'foo','key_two':null}}]}",
                        "{'complex_nullable':[{'inner_one':{'key_one':'foo'}}]}"),
                Arguments.of(
                        "TestUnknownField not filter nulls from non-associative slice",
                        "{}",
                        "{'complex_nullable':['key1',null,'key2']}",
                        "{'complex_nullable':['key1',null,'key2']}"),
                Arguments.of(
                        "TestUnknownField nested null values in original are preserved",
                        "{'complex':{'key':null},'thing':null}",
                        "{'nested':{'value':5}}",
                        "{'complex':{'key':null},'nested':{'value':5},'thing':null}"),
                Arguments.of(
                        "TestUnknownField removed only (three-way)",
                        "{'name':'foo','scalar':true,'complex':{'nested':true},'array':[1,2,3]}",
                        "{'complex':null,'scalar':null}",
                        "{'array':[1,2,3],'name':'foo'}"),
                // replaceRawExtensionPatchTestCases: a field with patchStrategy replace is taken as sent
                Arguments.of(
                        "replace RawExtension field, rest unchanched (three-way)",
                        "{'name':'my-object','replacingItem':{'Some':'Generic','Yaml':'Inside','The':'RawExtension','Field':'Period'}}",
                        "{'replacingItem':{'Newly':'Modified','Yaml':'Inside','The':'RawExtension'}}",
                        "{'name':'my-object','replacingItem':{'Newly':'Modified','Yaml':'Inside','The':'RawExtension'}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void mergesObjects(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    static Stream<Arguments> mapDirectives() {
        return Stream.of(
                // customStrategicMergePatchTestCaseData; the design doc's "delete" section says the map goes,
                // but upstream's code and this test leave an empty one where the map was
                Arguments.of(
                        "delete map from nested map",
                        "{'simpleMap':{'key1':1,'key2':1}}",
                        "{'simpleMap':{'$patch':'delete'}}",
                        "{'simpleMap':{}}"),
                Arguments.of("delete all keys from map", "{'name':1,'value':1}", "{'$patch':'replace'}", "{}"),
                Arguments.of(
                        "add key and delete all keys from map",
                        "{'name':1,'value':1}",
                        "{'other':'a','$patch':'replace'}",
                        "{'other':'a'}"),
                // design doc, "replace Directive / Map": the map is taken literally, nested directives included
                Arguments.of(
                        "replace a nested map",
                        "{'retainKeysMap':{'name':'a','value':'b','mergingIntList':[1,2]}}",
                        "{'retainKeysMap':{'$patch':'replace','mergingIntList':[3]}}",
                        "{'retainKeysMap':{'mergingIntList':[3]}}"),
                // patch.go mergeMap: a map with $patch where the original has none (or not a map) is left out
                Arguments.of(
                        "delete a map the original does not have",
                        "{'name':'a'}",
                        "{'simpleMap':{'$patch':'delete'}}",
                        "{'name':'a'}"),
                Arguments.of(
                        "delete directive replacing a scalar removes it",
                        "{'name':'a','value':'b'}",
                        "{'value':{'$patch':'delete'}}",
                        "{'name':'a'}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mapDirectives")
    void appliesPatchDirectivesOnMaps(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    static Stream<Arguments> retainKeys() {
        return Stream.of(
                // strategicMergePatchRawTestCases, three-way results
                Arguments.of(
                        "retainKeys map should clear defaulted field",
                        "{'retainKeysMap':{'value':'foo'}}",
                        "{'retainKeysMap':{'$retainKeys':['other'],'other':'bar'}}",
                        "{'retainKeysMap':{'other':'bar'}}"),
                Arguments.of(
                        "retainKeys map should clear defaulted field with conflict (discriminated union)",
                        "{'retainKeysMap':{'name':'type1','value':'foo'}}",
                        "{'retainKeysMap':{'$retainKeys':['name','other'],'name':'type2','other':'bar'}}",
                        "{'retainKeysMap':{'name':'type2','other':'bar'}}"),
                Arguments.of(
                        "retainKeys map adds a field and clear a field",
                        "{'retainKeysMap':{'name':'foo','other':'a'}}",
                        "{'retainKeysMap':{'$retainKeys':['name','value'],'value':'bar'}}",
                        "{'retainKeysMap':{'name':'foo','value':'bar'}}"),
                Arguments.of(
                        "retainKeys map deletes an item in nested merging int list",
                        "{'retainKeysMap':{'name':'foo','mergingIntList':[1,2,3,4]}}",
                        "{'retainKeysMap':{'$retainKeys':['mergingIntList','name'],"
                                + "'$deleteFromPrimitiveList/mergingIntList':[2],'$setElementOrder/mergingIntList':[1,3]}}",
                        "{'retainKeysMap':{'name':'foo','mergingIntList':[1,3,4]}}"),
                Arguments.of(
                        "retainKeys list of maps clears a field",
                        "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'a','other':'x'}]}",
                        "{'$setElementOrder/retainKeysMergingList':[{'name':'bar'},{'name':'foo'}],"
                                + "'retainKeysMergingList':[{'$retainKeys':['name','value'],'name':'foo'}]}",
                        "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'a'}]}"),
                // customStrategicMergePatchTestCaseData: without the directive a retainKeys field merges as usual
                Arguments.of(
                        "retainKeys map can delete a field when no retainKeys directive present",
                        "{'retainKeysMap':{'name':'foo','value':'a'}}",
                        "{'retainKeysMap':{'value':null}}",
                        "{'retainKeysMap':{'name':'foo'}}"),
                Arguments.of(
                        "retainKeys list can change a field when no retainKeys directive present",
                        "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'a'}]}",
                        "{'retainKeysMergingList':[{'name':'foo','value':'b'}]}",
                        "{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'b'}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retainKeys")
    void clearsFieldsMissingFromRetainKeys(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                // mergepatch/errors.go ErrBadPatchType, from patch.go handleDirectiveInMergeMap
                Arguments.of(
                        "unknown $patch on a map",
                        "{'simpleMap':{'a':'1'}}",
                        "{'simpleMap':{'$patch':'remove','b':'2'}}",
                        "400 unknown patch type: remove in map: map[$patch:remove b:2]"),
                Arguments.of(
                        "$patch merge is not a patch directive",
                        "{'name':'a'}",
                        "{'$patch':'merge','value':'b'}",
                        "400 unknown patch type: merge in map: map[$patch:merge value:b]"),
                Arguments.of(
                        "$patch that is not a string",
                        "{'name':'a'}",
                        "{'$patch':1}",
                        "400 unknown patch type: %!s(int64=1) in map: map[$patch:1]"),
                // mergepatch ErrBadPatchFormatForRetainKeys, patch.go applyRetainKeysDirective
                Arguments.of(
                        "a patched key missing from $retainKeys",
                        "{'retainKeysMap':{'name':'a'}}",
                        "{'retainKeysMap':{'$retainKeys':['name'],'value':'b'}}",
                        "400 invalid patch format of retainKeys"),
                Arguments.of(
                        "$retainKeys that is not a list",
                        "{'retainKeysMap':{'name':'a'}}",
                        "{'retainKeysMap':{'$retainKeys':'name'}}",
                        "400 invalid patch format of retainKeys"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void refusesBadDirectives(String description, String original, String patch, String expected) {
        assertThat(failure(original, patch)).isEqualTo(expected);
    }
}
