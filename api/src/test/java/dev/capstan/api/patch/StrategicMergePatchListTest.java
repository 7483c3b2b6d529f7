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
 * Lists, one table per strategy. Cases are named after upstream's (k8s.io/apimachinery v0.32.0,
 * strategicpatch/patch_test.go); "two-way" applies the case's TwoWay patch to its Original, "three-way" its ThreeWay
 * patch to its Current, and the expected value is the case's Modified/TwoWayResult or Result.
 */
class StrategicMergePatchListTest {

    /** patchStrategy merge with patchMergeKey name (MergeItem.mergingList). */
    static Stream<Arguments> mergeByKey() {
        return Stream.of(
                // strategicMergePatchRawTestCases
                Arguments.of(
                        "merge lists of maps (three-way)",
                        "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}",
                        "{'$setElementOrder/mergingList':[{'name':4},{'name':1},{'name':2},{'name':3}],"
                                + "'mergingList':[{'name':4,'value':4},{'name':3,'value':3}]}",
                        "{'mergingList':[{'name':4,'value':4},{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'},"
                                + "{'name':3,'value':3}]}"),
                Arguments.of(
                        "add an item in a list and preserve order (three-way)",
                        "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}",
                        "{'$setElementOrder/mergingList':[{'name':3},{'name':1},{'name':2}],"
                                + "'mergingList':[{'name':3,'value':3}]}",
                        "{'mergingList':[{'name':3,'value':3},{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'}]}"),
                Arguments.of(
                        "delete an item in a list and preserve order (three-way)",
                        "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'},{'name':3,'value':3}]}",
                        "{'$setElementOrder/mergingList':[{'name':2},{'name':1}],"
                                + "'mergingList':[{'name':3,'$patch':'delete'}]}",
                        "{'mergingList':[{'name':2,'value':2,'other':'b'},{'name':1,'other':'a'}]}"),
                Arguments.of(
                        "add and delete an item in a list and preserve order (three-way)",
                        "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2,'other':'b'},{'name':3,'value':3}]}",
                        "{'$setElementOrder/mergingList':[{'name':4},{'name':2},{'name':1}],"
                                + "'mergingList':[{'name':4,'value':4},{'name':3,'$patch':'delete'}]}",
                        "{'mergingList':[{'name':4,'value':4},{'name':2,'value':2,'other':'b'},{'name':1,'other':'a'}]}"),
                Arguments.of(
                        "set elements order in a list with server-only items 2 (three-way)",
                        "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2},{'name':9},{'name':3,'value':3},"
                                + "{'name':4,'value':4}]}",
                        "{'$setElementOrder/mergingList':[{'name':2},{'name':1},{'name':4},{'name':3}]}",
                        "{'mergingList':[{'name':2,'value':2},{'name':1,'other':'a'},{'name':9},{'name':4,'value':4},"
                                + "{'name':3,'value':3}]}"),
                Arguments.of(
                        "set elements order in a list with server-only items 3 (three-way)",
                        "{'mergingList':[{'name':1,'other':'a'},{'name':2,'value':2},{'name':7},{'name':9},{'name':8},"
                                + "{'name':3,'value':3},{'name':4,'value':4}]}",
                        "{'$setElementOrder/mergingList':[{'name':2},{'name':1},{'name':4},{'name':3}]}",
                        "{'mergingList':[{'name':2,'value':2},{'name':1,'other':'a'},{'name':7},{'name':9},{'name':8},"
                                + "{'name':4,'value':4},{'name':3,'value':3}]}"),
                Arguments.of(
                        "behavior of set element order for a merging list with duplicate (three-way)",
                        "{'mergingList':[{'name':1},{'name':2,'value':'dup1'},{'name':3},{'name':2,'value':'dup2'},{'name':4}]}",
                        "{'$setElementOrder/mergingList':[{'name':2},{'name':1},{'name':4},{'name':3},{'name':2}]}",
                        "{'mergingList':[{'name':2,'value':'dup1'},{'name':2,'value':'dup2'},{'name':1},{'name':4},{'name':3}]}"),
                Arguments.of(
                        "nested patch merge with empty list (three-way)",
                        "{'name':'hi','mergingList':[{'name':'hello2'}]}",
                        "{'$setElementOrder/mergingList':[{'name':'hello'},{'name':'doesntexist'}],"
                                + "'mergingList':[{'name':'hello'}]}",
                        "{'name':'hi','mergingList':[{'name':'hello'},{'name':'hello2'}]}"),
                Arguments.of(
                        "nested patch merge with empty list (two-way)",
                        "{'name':'hi'}",
                        "{'mergingList':[{'name':'hello'},{'$patch':'delete','name':'doesntexist'}]}",
                        "{'name':'hi','mergingList':[{'name':'hello'}]}"),
                Arguments.of(
                        "delete and reorder in one list, reorder in another (three-way)",
                        "{'mergingList':[{'name':'a','value':'a'},{'name':'b','value':'b'}],"
                                + "'mergeItemPtr':[{'name':'c','value':'c'},{'name':'d','value':'d'}]}",
                        "{'$setElementOrder/mergingList':[{'name':'b'}],'$setElementOrder/mergeItemPtr':[{'name':'d'},{'name':'c'}],"
                                + "'mergingList':[{'$patch':'delete','name':'a'}]}",
                        "{'mergingList':[{'name':'b','value':'b'}],'mergeItemPtr':[{'name':'d','value':'d'},{'name':'c','value':'c'}]}"),
                // customStrategicMergePatchTestCaseData (patches of old clients, without $setElementOrder)
                Arguments.of(
                        "preserve the order from the patch in a merging list",
                        "{'mergingList':[{'name':1},{'name':2,'value':'b'},{'name':3}]}",
                        "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'},{'name':2,'other':'x'}]}",
                        "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'},{'name':2,'value':'b','other':'x'}]}"),
                Arguments.of(
                        "preserve the order from the patch in a merging list 2",
                        "{'mergingList':[{'name':1},{'name':2,'value':'b'},{'name':3}]}",
                        "{'mergingList':[{'name':3,'value':'c'},{'name':1,'value':'a'}]}",
                        "{'mergingList':[{'name':2,'value':'b'},{'name':3,'value':'c'},{'name':1,'value':'a'}]}"),
                Arguments.of(
                        "delete all duplicate entries in a merging list",
                        "{'mergingList':[{'name':1},{'name':1},{'name':2,'value':'a'},{'name':3},{'name':3}]}",
                        "{'mergingList':[{'name':1,'$patch':'delete'},{'name':3,'$patch':'delete'}]}",
                        "{'mergingList':[{'name':2,'value':'a'}]}"),
                Arguments.of(
                        "$setElementOrder contains item that is not present in the list to be merged",
                        "{'mergingList':[{'name':1},{'name':3}]}",
                        "{'$setElementOrder/mergingList':[{'name':3},{'name':2},{'name':1}],"
                                + "'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}",
                        "{'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}"),
                // patch.go mergePatchIntoOriginal orders server-only elements by the original list's Go array as
                // mergeSlice left it: a deletion frees a slot that the added element takes, so the server-only
                // element stays before it; without the deletion the added one goes first (both checked by running
                // upstream's code on these inputs)
                Arguments.of(
                        "add one and delete one with $setElementOrder around a server-only element",
                        "{'mergingList':[{'name':'a'},{'name':'b'},{'name':'s'}]}",
                        "{'$setElementOrder/mergingList':[{'name':'a'},{'name':'c'}],"
                                + "'mergingList':[{'name':'c'},{'name':'b','$patch':'delete'}]}",
                        "{'mergingList':[{'name':'a'},{'name':'s'},{'name':'c'}]}"),
                Arguments.of(
                        "add one with $setElementOrder before server-only elements",
                        "{'mergingList':[{'name':'a'},{'name':'b'},{'name':'s'}]}",
                        "{'$setElementOrder/mergingList':[{'name':'a'},{'name':'c'}],'mergingList':[{'name':'c'}]}",
                        "{'mergingList':[{'name':'a'},{'name':'c'},{'name':'b'},{'name':'s'}]}"),
                // patch.go mergeSlice: an element added without $setElementOrder goes before the server's elements
                Arguments.of(
                        "add an item without $setElementOrder",
                        "{'mergingList':[{'name':'a'},{'name':'b'}]}",
                        "{'mergingList':[{'name':'c'}]}",
                        "{'mergingList':[{'name':'c'},{'name':'a'},{'name':'b'}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mergeByKey")
    void mergesListsOfObjectsByKey(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    /** Lists without strategy merge, and $patch: replace inside a merging list. */
    static Stream<Arguments> replace() {
        return Stream.of(
                // createStrategicMergePatchTestCaseData
                Arguments.of(
                        "replace list of scalars (three-way)",
                        "{'nonMergingIntList':[1,2]}",
                        "{'nonMergingIntList':[2,3]}",
                        "{'nonMergingIntList':[2,3]}"),
                // strategicMergePatchRawTestCases
                Arguments.of(
                        "replace non merging list nested in merging list (three-way)",
                        "{'mergingList':[{'name':1,'other':'a','nonMergingList':[{'name':1},{'name':2,'value':2}]},"
                                + "{'name':2,'other':'b'}]}",
                        "{'$setElementOrder/mergingList':[{'name':1},{'name':2}],"
                                + "'mergingList':[{'name':1,'nonMergingList':[{'name':1,'value':1}]}]}",
                        "{'mergingList':[{'name':1,'other':'a','nonMergingList':[{'name':1,'value':1}]},{'name':2,'other':'b'}]}"),
                // customStrategicMergePatchTestCaseData; design doc "replace Directive / List of Maps"
                Arguments.of(
                        "delete all items from merging list",
                        "{'mergingList':[{'name':1},{'name':2}]}",
                        "{'mergingList':[{'$patch':'replace'}]}",
                        "{'mergingList':[]}"),
                Arguments.of(
                        "replace a merging list with its other elements",
                        "{'mergingList':[{'name':1,'value':'a'},{'name':2}]}",
                        "{'mergingList':[{'name':3},{'$patch':'replace'},{'name':1}]}",
                        "{'mergingList':[{'name':3},{'name':1}]}"),
                Arguments.of(
                        "merge empty merging lists (two-way)",
                        "{'mergingList':[]}",
                        "{'mergingList':[]}",
                        "{'mergingList':[]}"),
                // TestUnknownField: a list without schema information is replaced
                Arguments.of(
                        "TestUnknownField added only",
                        "{'name':'foo','array':[1,2]}",
                        "{'array':[3]}",
                        "{'name':'foo','array':[3]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replace")
    void replacesOtherLists(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    /** patchStrategy merge on a list of primitives (MergeItem.mergingIntList, like metadata.finalizers). */
    static Stream<Arguments> primitiveMerge() {
        return Stream.of(
                // customStrategicMergePatchTestCaseData
                Arguments.of(
                        "unique scalars when merging lists",
                        "{'mergingIntList':[1,2]}",
                        "{'mergingIntList':[2,3]}",
                        "{'mergingIntList':[1,2,3]}"),
                Arguments.of(
                        "preserve the order from the patch in a merging int list",
                        "{'mergingIntList':[1,2,3]}",
                        "{'mergingIntList':[3,1,2]}",
                        "{'mergingIntList':[3,1,2]}"),
                Arguments.of(
                        "preserve the order from the patch in a merging int list (second)",
                        "{'mergingIntList':[1,2,3]}",
                        "{'mergingIntList':[3,1]}",
                        "{'mergingIntList':[2,3,1]}"),
                // strategicMergePatchRawTestCases
                Arguments.of(
                        "add an item in a list of primitives and preserve order (three-way)",
                        "{'mergingIntList':[1,4,2]}",
                        "{'$setElementOrder/mergingIntList':[3,1,2],'mergingIntList':[3]}",
                        "{'mergingIntList':[3,1,4,2]}"),
                Arguments.of(
                        "behavior of set element order for a merging int list with duplicate (three-way)",
                        "{'mergingIntList':[1,2,3,2,4]}",
                        "{'$setElementOrder/mergingIntList':[2,1,4,3,2]}",
                        "{'mergingIntList':[2,2,1,4,3]}"),
                Arguments.of(
                        "$setElementOrder contains item that is not present in the int list to be merged",
                        "{'mergingIntList':[1,3]}",
                        "{'$setElementOrder/mergingIntList':[3,2,1]}",
                        "{'mergingIntList':[3,1]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitiveMerge")
    void mergesPrimitiveListsAsSets(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    /** $deleteFromPrimitiveList/<list> (customStrategicMergePatchRawTestCases, strategicMergePatchRawTestCases). */
    static Stream<Arguments> deleteFromPrimitiveList() {
        return Stream.of(
                Arguments.of(
                        "$deleteFromPrimitiveList should delete item from a list with merge patch strategy",
                        "{'mergingIntList':[1,2,3]}",
                        "{'$deleteFromPrimitiveList/mergingIntList':[2]}",
                        "{'mergingIntList':[1,3]}"),
                Arguments.of(
                        "$deleteFromPrimitiveList should delete item from a list without merge patch strategy",
                        "{'nonMergingIntList':[1,2,3]}",
                        "{'$deleteFromPrimitiveList/nonMergingIntList':[2]}",
                        "{'nonMergingIntList':[1,3]}"),
                Arguments.of(
                        "$deleteFromPrimitiveList of nonexistent item in primitive list should not add the item to the list",
                        "{'mergingIntList':[1,2]}",
                        "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
                        "{'mergingIntList':[1,2]}"),
                Arguments.of(
                        "$deleteFromPrimitiveList on empty primitive list should not add the item to the list",
                        "{'mergingIntList':null}",
                        "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
                        "{'mergingIntList':null}"),
                Arguments.of(
                        "$deleteFromPrimitiveList on nonexistent primitive list should not add the primitive list",
                        "{'foo':['bar']}",
                        "{'$deleteFromPrimitiveList/mergingIntList':[3]}",
                        "{'foo':['bar']}"),
                Arguments.of(
                        "delete all duplicate items in lists of scalars (three-way)",
                        "{'mergingIntList':[1,2,3,3,4]}",
                        "{'$setElementOrder/mergingIntList':[1,2],'$deleteFromPrimitiveList/mergingIntList':[3]}",
                        "{'mergingIntList':[1,2,4]}"),
                Arguments.of(
                        "add and delete items in lists of scalars (two-way)",
                        "{'mergingIntList':[1,2,3]}",
                        "{'$setElementOrder/mergingIntList':[1,2,4],'$deleteFromPrimitiveList/mergingIntList':[3],"
                                + "'mergingIntList':[4]}",
                        "{'mergingIntList':[1,2,4]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deleteFromPrimitiveList")
    void deletesFromPrimitiveLists(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    /** Merging lists inside merging lists (strategicMergePatchRawTestCases). */
    static Stream<Arguments> nested() {
        return Stream.of(
                Arguments.of(
                        "add field to map in merging list nested in merging list (three-way)",
                        "{'mergingList':[{'name':1,'other':'a','mergingList':[{'name':1,'value':1},{'name':2,'value':2}]},"
                                + "{'name':2,'other':'b'}]}",
                        "{'$setElementOrder/mergingList':[{'name':1},{'name':2}],"
                                + "'mergingList':[{'name':1,'$setElementOrder/mergingList':[{'name':1},{'name':2}],"
                                + "'mergingList':[{'name':1,'value':1}]}]}",
                        "{'mergingList':[{'name':1,'other':'a','mergingList':[{'name':1,'value':1},{'name':2,'value':2}]},"
                                + "{'name':2,'other':'b'}]}"),
                Arguments.of(
                        "change a field and delete an element in a nested merging list",
                        "{'mergingList':[{'name':1,'mergingList':[{'name':'x','value':'1'},{'name':'y'}],'mergingIntList':[5]}]}",
                        "{'mergingList':[{'name':1,'mergingList':[{'name':'x','value':'2'},{'name':'y','$patch':'delete'}],"
                                + "'mergingIntList':[6]}]}",
                        "{'mergingList':[{'name':1,'mergingList':[{'name':'x','value':'2'}],'mergingIntList':[6,5]}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nested")
    void mergesNestedLists(String upstreamCase, String original, String patch, String expected) {
        assertThat(apply(original, patch)).isEqualTo(json(expected));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                // customStrategicMergePatchRawTestCases
                Arguments.of(
                        "missing merge key should error out",
                        "{'mergingList':[{'name':1,'value':'a'}]}",
                        "{'mergingList':[{'value':'b'}]}",
                        "400 map: map[value:b] does not contain declared merge key: name"),
                Arguments.of(
                        "should check if order in $setElementOrder and patch list match",
                        "{'mergingList':[{'name':1},{'name':3},{'name':2}]}",
                        "{'$setElementOrder/mergingList':[{'name':1},{'name':2},{'name':3}],"
                                + "'mergingList':[{'name':3,'value':3},{'name':1,'value':1}]}",
                        "400 The order in patch list:\n[map[name:3 value:3] map[name:1 value:1]]\n doesn't match "
                                + "$setElementOrder list:\n[map[name:1] map[name:2] map[name:3]]\n"),
                Arguments.of(
                        "should check if order in $setElementOrder and patch list match (int list)",
                        "{'mergingIntList':[1,3,2]}",
                        "{'$setElementOrder/mergingIntList':[1,2,3],'mergingIntList':[3,1]}",
                        "400 The order in patch list:\n[3 1]\n doesn't match $setElementOrder list:\n[1 2 3]\n"),
                // patch.go mergeSliceWithSpecialElements
                Arguments.of(
                        "a delete directive without the merge key",
                        "{'mergingList':[{'name':1}]}",
                        "{'mergingList':[{'$patch':'delete','value':'a'}]}",
                        "400 map: map[$patch:delete value:a] does not contain declared merge key: name"),
                Arguments.of(
                        "$patch merge in a list",
                        "{'mergingList':[{'name':1}]}",
                        "{'mergingList':[{'$patch':'merge'}]}",
                        "400 merging lists cannot yet be specified in the patch"),
                Arguments.of(
                        "unknown $patch in a list",
                        "{'mergingList':[{'name':1}]}",
                        "{'mergingList':[{'$patch':'remove','name':1}]}",
                        "400 unknown patch type: remove in map: map[$patch:remove name:1]"),
                // mergepatch errors for malformed directive keys, which the apiserver answers 400
                Arguments.of(
                        "a deletion list key without its list",
                        "{'mergingIntList':[1]}",
                        "{'$deleteFromPrimitiveListmergingIntList':[1]}",
                        "400 invalid patch format of primitive list"),
                Arguments.of(
                        "an order key without its list",
                        "{'mergingIntList':[1]}",
                        "{'$setElementOrder':[1]}",
                        "400 invalid patch format of setElementOrder list"),
                Arguments.of(
                        "an order that is not a list",
                        "{'mergingIntList':[1]}",
                        "{'$setElementOrder/mergingIntList':{'a':1}}",
                        "400 expected a []interface {}, but received a map[string]interface {}"),
                // patch.go sliceElementType: ErrNoListOfLists is 422, mixed element types a plain error
                Arguments.of(
                        "lists of lists",
                        "{'mergingIntList':[[1]]}",
                        "{'mergingIntList':[[2]]}",
                        "422 the server rejected our request due to an error in our request"),
                Arguments.of(
                        "mixed element types",
                        "{'mergingIntList':[1,2]}",
                        "{'mergingIntList':['a']}",
                        "400 list element types are not identical: [[1 2] [a]]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void refusesBadLists(String description, String original, String patch, String expected) {
        assertThat(failure(original, patch)).isEqualTo(expected);
    }
}
