package dev.capstan.api.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's base64 and time parsers' verdicts and messages (encoding/base64 CorruptInputError, time.ParseError). */
class GoTextTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "OK", textBlock = """
            YWJj      | OK
            YWI=      | OK
            YQ==      | OK
            ''        | OK
            abc!      | illegal base64 data at input byte 3
            YWJ       | illegal base64 data at input byte 0
            YQ=       | illegal base64 data at input byte 3
            YQ=x      | illegal base64 data at input byte 2
            Y===      | illegal base64 data at input byte 1
            YWI=YWI=  | illegal base64 data at input byte 4
            """)
    void base64(String text, String error) {
        assertThat(GoText.base64Error(text)).isEqualTo(error);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "OK", textBlock = """
            2024-05-01T10:00:00Z        | OK
            2024-05-01T10:00:00.123+02:00 | OK
            abc                         | parsing time "abc" as "2006-01-02T15:04:05Z07:00": cannot parse "abc" as "2006"
            2024-05-01 10:00:00Z        | parsing time "2024-05-01 10:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 10:00:00Z" as "T"
            2024-13-01T10:00:00Z        | parsing time "2024-13-01T10:00:00Z": month out of range
            2024-05-01T10:00:00         | parsing time "2024-05-01T10:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"
            2024-05-01T10:00:00Zx       | parsing time "2024-05-01T10:00:00Zx": extra text: "x"
            """)
    void rfc3339(String text, String error) {
        assertThat(GoText.timeError(text, false)).isEqualTo(error);
    }
}
