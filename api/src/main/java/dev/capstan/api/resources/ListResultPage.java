package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of a list as the API answers it. */
public record ListResultPage(List<ObjectNode> items, long revision, String continueToken, Long remainingItemCount) {}
