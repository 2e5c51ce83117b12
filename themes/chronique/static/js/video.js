/* chronique: the video shortcode. Until the reader asks, a video is a link to its page (what a
   reader without JavaScript gets) and nothing is requested from the video's site; here the link
   becomes a button that swaps in the player (youtube-nocookie for YouTube). */
(function () {
  "use strict";
  var videos = document.querySelectorAll(".sc-video[data-embed]");
  Array.prototype.forEach.call(videos, function (figure) {
    var link = figure.querySelector(".sc-video-link");
    if (!link) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sc-video-button";
    while (link.firstChild) button.appendChild(link.firstChild);
    // What the button says is what it does: « Lire la vidéo : titre ».
    var label = button.querySelector(".sc-video-label");
    if (label) label.textContent = figure.getAttribute("data-play");
    link.parentNode.replaceChild(button, link);
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = figure.getAttribute("data-embed");
      frame.title = figure.getAttribute("data-title");
      frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
      frame.setAttribute("allowfullscreen", "");
      button.parentNode.replaceChild(frame, button);
      frame.focus();
    });
  });
})();
