package dev.capstan.model.labels;

import dev.capstan.model.labels.Requirement.Operator;
import dev.capstan.model.names.FieldErrors;
import dev.capstan.model.names.NameChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Upstream's label selector lexer and recursive-descent parser, token for token, so that what it accepts, the
 * values it reads ("k in ()" is the empty value, "k=" too) and its error messages are upstream's.
 */
final class SelectorParser {
    private enum Token {
        ERROR,
        END,
        CLOSED_PAR,
        COMMA,
        DOES_NOT_EXIST,
        DOUBLE_EQUALS,
        EQUALS,
        GREATER_THAN,
        IDENTIFIER,
        IN,
        LESS_THAN,
        NOT_EQUALS,
        NOT_IN,
        OPEN_PAR
    }

    private record Item(Token token, String literal) {}

    private static final Map<String, Token> LITERALS = Map.ofEntries(
            Map.entry(")", Token.CLOSED_PAR),
            Map.entry(",", Token.COMMA),
            Map.entry("!", Token.DOES_NOT_EXIST),
            Map.entry("==", Token.DOUBLE_EQUALS),
            Map.entry("=", Token.EQUALS),
            Map.entry(">", Token.GREATER_THAN),
            Map.entry("in", Token.IN),
            Map.entry("<", Token.LESS_THAN),
            Map.entry("!=", Token.NOT_EQUALS),
            Map.entry("notin", Token.NOT_IN),
            Map.entry("(", Token.OPEN_PAR));

    private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

    private final String text;
    private int lexPos;
    private final List<Item> items = new ArrayList<>();
    private int position;

    SelectorParser(String text) {
        this.text = text;
    }

    List<Requirement> parse() {
        scan();
        List<Requirement> requirements = new ArrayList<>();
        while (true) {
            Item next = lookahead();
            switch (next.token()) {
                case IDENTIFIER, DOES_NOT_EXIST -> {
                    try {
                        requirements.add(requirement());
                    } catch (SelectorParseException e) {
                        throw new SelectorParseException("unable to parse requirement: " + e.getMessage());
                    }
                    Item after = consume();
                    switch (after.token()) {
                        case END -> {
                            return requirements;
                        }
                        case COMMA -> {
                            Item following = lookahead();
                            if (following.token() != Token.IDENTIFIER && following.token() != Token.DOES_NOT_EXIST) {
                                throw error("found '" + following.literal() + "', expected: identifier after ','");
                            }
                        }
                        default -> throw error("found '" + after.literal() + "', expected: ',' or 'end of string'");
                    }
                }
                case END -> {
                    return requirements;
                }
                default -> throw error("found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private Requirement requirement() {
        boolean doesNotExist = false;
        Item key = consume();
        if (key.token() == Token.DOES_NOT_EXIST) {
            doesNotExist = true;
            key = consume();
        }
        if (key.token() != Token.IDENTIFIER) {
            throw error("found '" + key.literal() + "', expected: identifier");
        }
        List<String> keyErrs = NameChecks.isQualifiedName(key.literal());
        if (!keyErrs.isEmpty()) {
            // upstream validates against the parser's path, which is nil here
            throw error(FieldErrors.invalid(null, key.literal(), String.join("; ", keyErrs)));
        }
        Token following = lookahead().token();
        if (doesNotExist) {
            return Requirement.of(key.literal(), Operator.DOES_NOT_EXIST, List.of(), null);
        }
        if (following == Token.END || following == Token.COMMA) {
            return Requirement.of(key.literal(), Operator.EXISTS, List.of(), null);
        }
        Operator operator = operator();
        List<String> values = operator == Operator.IN || operator == Operator.NOT_IN ? valueSet() : exactValue();
        return Requirement.of(key.literal(), operator, values, null);
    }

    private Operator operator() {
        // keywords are operators here, so no Values-context conversion of in/notin
        Item item = items.get(position++);
        return switch (item.token()) {
            case IN -> Operator.IN;
            case EQUALS -> Operator.EQUALS;
            case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
            case GREATER_THAN -> Operator.GREATER_THAN;
            case LESS_THAN -> Operator.LESS_THAN;
            case NOT_IN -> Operator.NOT_IN;
            case NOT_EQUALS -> Operator.NOT_EQUALS;
            default -> throw error("found '" + item.literal() + "', expected: " + BINARY_OPERATORS);
        };
    }

    /** "(a,b)" as a sorted set; "()" and empty entries read as the empty value. */
    private List<String> valueSet() {
        Item open = consume();
        if (open.token() != Token.OPEN_PAR) {
            throw error("found '" + open.literal() + "' expected: '('");
        }
        Item first = lookahead();
        switch (first.token()) {
            case IDENTIFIER, COMMA -> {
                TreeSet<String> values = identifiers();
                if (consume().token() != Token.CLOSED_PAR) {
                    throw error("found '" + first.literal() + "', expected: ')'");
                }
                return List.copyOf(values);
            }
            case CLOSED_PAR -> {
                consume();
                return List.of("");
            }
            default -> throw error("found '" + first.literal() + "', expected: ',', ')' or identifier");
        }
    }

    private TreeSet<String> identifiers() {
        TreeSet<String> values = new TreeSet<>();
        while (true) {
            Item item = consume();
            switch (item.token()) {
                case IDENTIFIER -> {
                    values.add(item.literal());
                    Item next = lookahead();
                    if (next.token() == Token.CLOSED_PAR) {
                        return values;
                    }
                    if (next.token() != Token.COMMA) {
                        throw error("found '" + next.literal() + "', expected: ',' or ')'");
                    }
                }
                case COMMA -> {
                    if (values.isEmpty()) {
                        values.add(""); // "(,"
                    }
                    Token next = lookahead().token();
                    if (next == Token.CLOSED_PAR) {
                        values.add(""); // ",)"
                        return values;
                    }
                    if (next == Token.COMMA) {
                        consume();
                        values.add(""); // ",,"
                    }
                }
                default -> throw error("found '" + item.literal() + "', expected: ',', or identifier");
            }
        }
    }

    /** The one value after =, ==, !=, > or <; nothing before a comma or the end is the empty value. */
    private List<String> exactValue() {
        Token next = lookahead().token();
        if (next == Token.END || next == Token.COMMA) {
            return List.of("");
        }
        Item item = consume();
        if (item.token() == Token.IDENTIFIER) {
            return List.of(item.literal());
        }
        throw error("found '" + item.literal() + "', expected: identifier");
    }

    /** The next item; in the values context the keywords in and notin are plain identifiers. */
    private Item lookahead() {
        return asValue(items.get(position));
    }

    private Item consume() {
        return asValue(items.get(position++));
    }

    private static Item asValue(Item item) {
        return item.token() == Token.IN || item.token() == Token.NOT_IN
                ? new Item(Token.IDENTIFIER, item.literal())
                : item;
    }

    private static SelectorParseException error(String message) {
        return new SelectorParseException(message);
    }

    // The lexer works on bytes like upstream's; a NUL byte reads as the end of the input, as in Go.

    private void scan() {
        while (true) {
            Item item = lex();
            items.add(item);
            if (item.token() == Token.END) {
                return;
            }
        }
    }

    private char read() {
        return lexPos < text.length() ? text.charAt(lexPos++) : 0;
    }

    private Item lex() {
        char c = read();
        while (isWhitespace(c)) {
            c = read();
        }
        if (c == 0) {
            return new Item(Token.END, "");
        }
        lexPos--;
        return isSpecialSymbol(c) ? specialSymbol() : identifierOrKeyword();
    }

    private Item identifierOrKeyword() {
        StringBuilder buffer = new StringBuilder();
        while (true) {
            char c = read();
            if (c == 0) {
                break;
            }
            if (isSpecialSymbol(c) || isWhitespace(c)) {
                lexPos--;
                break;
            }
            buffer.append(c);
        }
        String s = buffer.toString();
        return new Item(LITERALS.getOrDefault(s, Token.IDENTIFIER), s);
    }

    /** The longest run of symbols that is still an operator: "!=" rather than "!" then "=". */
    private Item specialSymbol() {
        Item last = null;
        StringBuilder buffer = new StringBuilder();
        while (true) {
            char c = read();
            if (c == 0) {
                break;
            }
            if (!isSpecialSymbol(c)) {
                lexPos--;
                break;
            }
            buffer.append(c);
            Token token = LITERALS.get(buffer.toString());
            if (token != null) {
                last = new Item(token, buffer.toString());
            } else if (last != null) {
                lexPos--;
                break;
            }
        }
        return last != null ? last : new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecialSymbol(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }
}
